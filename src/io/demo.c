/*
 * demo.c - demonstration data: contacts and incidents a CIMIC cell in
 * eastern and southern Ukraine would hold.  Places and coordinates are
 * real; people, phone numbers and events are invented.
 */
#include <stdio.h>
#include <string.h>

#include "cimic/demo.h"
#include "cimic/i18n.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"

struct demo_contact {
	const char *name, *org, *position, *category, *phone, *settlement, *location, *notes;
};

struct demo_incident {
	const char *title, *type;
	int severity;
	const char *status;
	int hours_ago;
	const char *settlement, *location, *description;
	int killed, injured, displaced, affected;
	const char *reliability, *credibility;
	int contact;   /* index into contacts, -1 none */
};

static const struct demo_contact contacts[] = {
	{ "Олександр Коваленко", "Харківська обласна військова адміністрація", "заступник начальника",
	  "military_administration", "+380 57 700 1122", "Харків", "49.9935,36.2304",
	  "Координація евакуації з прикордонних громад." },
	{ "Наталія Шевчук", "КП «Харківводоканал»", "головний інженер", "utility", "+380 57 731 4401",
	  "Харків", "49.9808,36.2527", "Відновлення водопостачання після обстрілів." },
	{ "Ігор Бондаренко", "Ізюмська міська рада", "секретар ради", "local_authority",
	  "+380 5743 2 1520", "Ізюм", "49.2128,37.2569", NULL },
	{ "Марія Ткаченко", "Ізюмська ЦРЛ", "головна лікарка", "health", "+380 5743 2 3344", "Ізюм",
	  "49.2101,37.2480", "Потреба в генераторі та пальному для операційної." },
	{ "Сергій Мельник", "ДСНС у Харківській області", "начальник пожежно-рятувального загону",
	  "emergency_service", "101", "Куп'янськ", "49.7106,37.6156", NULL },
	{ "Оксана Кравчук", "Благодійний фонд «Схід SOS»", "координаторка", "ngo", "+380 67 555 0101",
	  "Краматорськ", "48.7389,37.5844", "Розподіл гуманітарних наборів, евакуація маломобільних." },
	{ "Андрій Олійник", "Краматорська міська військова адміністрація", "начальник",
	  "military_administration", "+380 6264 4 1100", "Краматорськ", "48.7230,37.5560", NULL },
	{ "Тетяна Савченко", "ДТЕК Донецькі електромережі", "диспетчерка РЕМ", "utility",
	  "+380 62 777 2020", "Слов'янськ", "48.8533,37.6050", "Графіки відключень, аварійні бригади." },
	{ "о. Василь Гнатюк", "Свято-Миколаївська парафія", "настоятель", "religious",
	  "+380 50 123 4567", "Слов'янськ", "48.8610,37.6180", "Пункт обігріву в приміщенні парафії." },
	{ "Юлія Руденко", "Управління освіти Покровської МВА", "начальниця управління", "education",
	  "+380 6239 2 0303", "Покровськ", "48.2846,37.1818", NULL },
	{ "Віктор Лисенко", "ГУНП в Донецькій області", "інспектор ювенальної превенції", "police",
	  "102", "Дружківка", "48.6199,37.5276", NULL },
	{ "Ірина Марченко", "УВКБ ООН (UNHCR)", "Field Associate", "un_agency", "+380 44 288 9710",
	  "Дніпро", "48.4647,35.0462", "Shelter and NFI; speaks Ukrainian and English." },
	{ "Олег Павленко", "Запорізька ОВА, департамент соцзахисту", "заступник директора",
	  "local_authority", "+380 61 239 0011", "Запоріжжя", "47.8388,35.1396", NULL },
	{ "Людмила Кузьменко", "Волонтерська група «Оріхів разом»", "волонтерка", "volunteer",
	  "+380 97 321 6543", "Оріхів", "47.5677,35.7852", "Доставка води та ліків у громаду." },
	{ "Дмитро Зінченко", "Херсонська ОВА", "радник з гуманітарних питань",
	  "military_administration", "+380 552 22 3311", "Херсон", "46.6354,32.6169", NULL },
	{ "Алла Гончаренко", "Херсонська обласна клінічна лікарня", "заступниця головного лікаря",
	  "health", "+380 552 49 0202", "Херсон", "46.6502,32.6040",
	  "Пацієнти переведені в укриття під час обстрілів." },
	{ "Роман Ковальчук", "Миколаївводоканал", "начальник зміни", "utility", "+380 512 47 1515",
	  "Миколаїв", "46.9750,31.9946", "Питна вода: пункти роздачі по районах." },
	{ "Світлана Петренко", "Пункт незламності № 12", "адміністраторка", "shelter",
	  "+380 63 808 1212", "Миколаїв", "46.9659,32.0000", NULL },
	{ "Микола Ярошенко", "ФГ «Ярошенко»", "власник", "business", "+380 66 404 0404", "Снігурівка",
	  "47.0756,32.8050", "Підозра на нерозірвані боєприпаси на полі." },
	{ "Ганна Бойко", "Суспільне Суми", "журналістка", "media", "+380 542 77 0707", "Суми",
	  "50.9077,34.7981", NULL },
	{ "Євген Литвиненко", "Сумська ОВА", "головний спеціаліст з евакуації",
	  "military_administration", "+380 542 65 1010", "Суми", "50.9110,34.8020", NULL },
	{ "Катерина Климченко", "Чернігівська міська рада", "начальниця відділу з питань ВПО",
	  "local_authority", "+380 462 67 5050", "Чернігів", "51.4982,31.2893", NULL },
	{ "Petra Lindqvist", "ICRC Ukraine delegation", "Water and Habitat engineer", "ngo",
	  "+380 44 235 0555", "Kyiv", "50.4501,30.5234", "Generators and water treatment units." },
	{ "Володимир Дорошенко", "Куп'янська міська військова адміністрація", "начальник",
	  "military_administration", "+380 5742 5 1111", "Куп'янськ", "49.7160,37.6020", NULL },
};

static const struct demo_incident incidents[] = {
	{ "Пошкоджено водогін після обстрілу", "infrastructure_damage", 4, "in_progress", 5, "Харків",
	  "49.9935,36.2304", "Пошкоджено магістральний водогін, без води близько 12 000 мешканців Салтівки.",
	  0, 2, 0, 12000, "B", "2", 1 },
	{ "Евакуація маломобільних жителів", "evacuation", 3, "reported", 9, "Куп'янськ",
	  "49.7106,37.6156", "Запит на евакуацію 14 маломобільних осіб, потрібен спецтранспорт.", 0, 0,
	  14, 14, "A", "2", 23 },
	{ "Знеструмлення лікарні", "utility_outage", 5, "in_progress", 3, "Ізюм", "49.2101,37.2480",
	  "Лікарня працює від генератора, пального на 18 годин.", 0, 0, 0, 300, "A", "1", 3 },
	{ "Поранені цивільні внаслідок удару по ринку", "civilian_harm", 5, "verified", 30,
	  "Краматорськ", "48.7389,37.5844", "Удар по критому ринку, 2 загиблих, 11 поранених.", 2, 11, 0,
	  0, "B", "2", 6 },
	{ "Пункт обігріву потребує дров", "shelter", 2, "reported", 48, "Слов'янськ", "48.8610,37.6180",
	  "Пункт обігріву при парафії, 60 осіб на ніч, дров на 3 дні.", 0, 0, 0, 60, "C", "3", 8 },
	{ "Відключення електроенергії у трьох громадах", "utility_outage", 3, "in_progress", 12,
	  "Слов'янськ", "48.8533,37.6050", "Аварійні бригади не можуть працювати через обстріли.", 0, 0,
	  0, 25000, "B", "2", 7 },
	{ "Школа пошкоджена, навчання дистанційно", "infrastructure_damage", 2, "resolved", 120,
	  "Покровськ", "48.2846,37.1818", "Вибиті вікна у двох корпусах; навчання переведено онлайн.", 0,
	  0, 0, 850, "A", "1", 9 },
	{ "Сім'ї ВПО без житла", "displacement", 3, "reported", 20, "Дніпро", "48.4647,35.0462",
	  "42 сім'ї з Покровського району прибули без місць у колективних центрах.", 0, 0, 130, 130, "B",
	  "2", 11 },
	{ "Нерозірваний боєприпас на полі", "uxo", 4, "reported", 6, "Снігурівка", "47.0756,32.8050",
	  "Фермер повідомив про хвостовик ракети на полі біля дороги Т-1509.", 0, 0, 0, 0, "C", "3", 18 },
	{ "Підвіз питної води в Оріхів", "food_water", 3, "in_progress", 26, "Оріхів", "47.5677,35.7852",
	  "Централізоване водопостачання відсутнє; потрібно 8 т води на добу.", 0, 0, 0, 3000, "B", "2",
	  13 },
	{ "Обстріл житлового кварталу", "civilian_harm", 5, "verified", 15, "Херсон", "46.6354,32.6169",
	  "Пошкоджено 9 багатоквартирних будинків, 1 загиблий, 4 поранених.", 1, 4, 0, 400, "A", "2",
	  14 },
	{ "Лікарня переводить пацієнтів в укриття", "medical", 4, "in_progress", 2, "Херсон",
	  "46.6502,32.6040", "Потрібні додаткові ноші та автономне освітлення в укритті.", 0, 0, 0, 120,
	  "A", "1", 15 },
	{ "Пункти роздачі води", "food_water", 2, "closed", 200, "Миколаїв", "46.9750,31.9946",
	  "Після відновлення водогону пункти роздачі закрито.", 0, 0, 0, 0, "A", "1", 16 },
	{ "Гуманітарний доступ до прикордонних сіл", "humanitarian_access", 4, "reported", 40, "Суми",
	  "50.9077,34.7981", "Конвої не можуть пройти до сіл уздовж кордону через обстріли FPV-дронами.", 0,
	  0, 0, 1800, "B", "3", 20 },
	{ "Евакуація дітей з прикордоння", "evacuation", 4, "in_progress", 18, "Суми",
	  "50.9110,34.8020", "Примусова евакуація сімей з дітьми з 5-кілометрової зони.", 0, 0, 210, 210,
	  "A", "2", 20 },
	{ "Облік ВПО у Чернігові", "displacement", 1, "closed", 500, "Чернігів", "51.4982,31.2893",
	  "Звірка списків ВПО з міськрадою завершена.", 0, 0, 0, 0, "A", "1", 21 },
	{ "Water treatment unit needed", "food_water", 3, "reported", 30, "Kupiansk",
	  "49.7160,37.6020", "Town water station damaged; ICRC can supply a mobile unit if access allows.",
	  0, 0, 0, 8000, "B", "2", 22 },
	{ "Пожежа на складі гуманітарної допомоги", "infrastructure_damage", 3, "verified", 60,
	  "Краматорськ", "48.7230,37.5560", "Згоріло близько 20 т продуктових наборів.", 0, 1, 0, 0, "B",
	  "1", 5 },
	{ "Потреба у мобільній аптеці", "medical", 2, "reported", 70, "Дружківка", "48.6199,37.5276",
	  "Аптеки в селах громади не працюють; літні люди без ліків.", 0, 0, 0, 600, "C", "2", -1 },
	{ "Без опалення в багатоповерхівках", "utility_outage", 4, "reported", 4, "Запоріжжя",
	  "47.8388,35.1396", "Пошкоджено котельню; 17 будинків без опалення при -8 °C.", 0, 0, 0, 5100,
	  "B", "2", 12 },
};

#define COUNT(a) (sizeof a / sizeof a[0])

static int
put(struct model_change *c, const char *field, const char *value, struct cimic_error *err)
{
	if (value == NULL)
		return 0;
	return model_change_parse(c, field, value, 0, err);
}

static int
put_int(struct model_change *c, const char *field, long v, struct cimic_error *err)
{
	char buf[24];

	if (v <= 0 && strcmp(field, "severity") != 0)
		return 0;
	snprintf(buf, sizeof buf, "%ld", v);
	return put(c, field, buf, err);
}

static int
add_contact(struct oplog_txn *txn, const struct demo_contact *d, unsigned char id[CIMIC_ID_BYTES],
	    struct cimic_error *err)
{
	struct model_change c;
	int rc = -1;

	model_change_init(&c, MODEL_CONTACT);
	if (put(&c, "name", d->name, err) == 0 && put(&c, "org", d->org, err) == 0 &&
	    put(&c, "position", d->position, err) == 0 && put(&c, "category", d->category, err) == 0 &&
	    put(&c, "phone", d->phone, err) == 0 && put(&c, "settlement", d->settlement, err) == 0 &&
	    put(&c, "location", d->location, err) == 0 && put(&c, "notes", d->notes, err) == 0)
		rc = model_create(txn, &c, id, err);
	model_change_finish(&c);
	return rc;
}

static int
add_incident(struct oplog_txn *txn, const struct demo_incident *d, int64_t now,
	     unsigned char id[CIMIC_ID_BYTES], struct cimic_error *err)
{
	struct model_change c;
	char when[40];
	int rc = -1;

	timefmt_iso_utc(now - (int64_t)d->hours_ago * 3600 * 1000, when, sizeof when);
	model_change_init(&c, MODEL_INCIDENT);
	if (put(&c, "title", d->title, err) == 0 && put(&c, "type", d->type, err) == 0 &&
	    put_int(&c, "severity", d->severity, err) == 0 && put(&c, "status", d->status, err) == 0 &&
	    put(&c, "when", when, err) == 0 && put(&c, "settlement", d->settlement, err) == 0 &&
	    put(&c, "location", d->location, err) == 0 &&
	    put(&c, "description", d->description, err) == 0 &&
	    put_int(&c, "killed", d->killed, err) == 0 && put_int(&c, "injured", d->injured, err) == 0 &&
	    put_int(&c, "displaced", d->displaced, err) == 0 &&
	    put_int(&c, "affected", d->affected, err) == 0 &&
	    put(&c, "reliability", d->reliability, err) == 0 &&
	    put(&c, "credibility", d->credibility, err) == 0)
		rc = model_create(txn, &c, id, err);
	model_change_finish(&c);
	return rc;
}

int
demo_fill(struct store *st, long *ncontacts, long *nincidents, struct cimic_error *err)
{
	unsigned char cids[COUNT(contacts)][CIMIC_ID_BYTES], iid[CIMIC_ID_BYTES];
	int64_t now = timefmt_now_ms();
	struct oplog_txn *txn;

	if (oplog_begin(st, &txn, err) != 0)
		return -1;
	for (size_t i = 0; i < COUNT(contacts); i++)
		if (add_contact(txn, &contacts[i], cids[i], err) != 0)
			goto fail;
	for (size_t i = 0; i < COUNT(incidents); i++) {
		if (add_incident(txn, &incidents[i], now, iid, err) != 0)
			goto fail;
		if (incidents[i].contact >= 0) {
			if (model_link(txn, iid, cids[incidents[i].contact], true, err) != 0)
				goto fail;
		}
	}
	*ncontacts = (long)COUNT(contacts);
	*nincidents = (long)COUNT(incidents);
	return oplog_commit(txn, err);
fail:
	oplog_abort(txn);
	return -1;
}
