/*
 * io_headers.c - the header row of a CSV without hashtags, in English
 * and Ukrainian.
 *
 * A plain CSV names its columns in words.  cimic's own exports use the
 * field names ("title", "when", "source_id"); files from other systems
 * and from people say "Date", "Event type", "Fatalities", "Дата",
 * "Опис", "Загинуло".  Headers are compared after io_words(): folded to
 * lower case (Latin and Cyrillic), apostrophes dropped, '_', '-', '.'
 * and '/' read as blanks, a trailing note in brackets ignored; so
 * "Event_Type", "event type" and "EVENT-TYPE (ACLED)" are one header.
 * A header that matches nothing is reported, never guessed at.
 */
#include <stdlib.h>
#include <string.h>

#include "io.h"

struct io_header_words {
	enum model_kind kind;   /* 0: both */
	const char *target;     /* field name or slot name (io_slot_by_name) */
	const char *words;      /* io_words() forms, '|'-separated */
};

static const struct io_header_words header_words[] = {
	{ 0, "id", "id|uid|uuid|identifier|record id|ідентифікатор|номер|№|код запису" },
	{ 0, "source_id", "source id|id at the source|ідентифікатор у джерелі" },
	{ 0, "lat", "lat|latitude|y|широта" },
	{ 0, "lon", "lon|lng|long|longitude|x|довгота" },
	{ 0, "coord", "coordinates|coords|coordinate|geo|gps|point|lat lon|latlon|координати|"
	  "геолокація|gps координати|геокоординати" },
	{ 0, "mgrs", "mgrs|grid|mgrs grid|grid reference|сітка|координати mgrs" },
	{ 0, "settlement", "settlement|place|town|city|village|locality|place name|location name|"
	  "населений пункт|нп|місто|село|селище|місце|локація|назва населеного пункту" },
	{ MODEL_INCIDENT, "id", "event id|incident id|event id cnty|report id|номер події|"
	  "ідентифікатор події" },
	{ MODEL_INCIDENT, "title", "event|event name|headline|subject|назва|заголовок|подія|"
	  "назва події|тема" },
	{ MODEL_INCIDENT, "type", "event type|incident type|category|kind|тип|тип події|вид|"
	  "вид події|категорія|тип інциденту" },
	{ MODEL_INCIDENT, "severity", "priority|тяжкість|серйозність|пріоритет|важливість" },
	{ MODEL_INCIDENT, "status", "state|статус|стан" },
	{ MODEL_INCIDENT, "when", "date|time|datetime|date time|event date|date occurred|occurred|"
	  "incident date|date of incident|date of event|дата|час|коли|дата події|дата і час|"
	  "дата та час|час події|дата інциденту" },
	{ MODEL_INCIDENT, "reported", "date reported|report date|reported on|reporting date|"
	  "дата повідомлення|повідомлено|дата звіту" },
	{ MODEL_INCIDENT, "oblast", "region|province|admin1|adm1|admin 1|adm1 name|admin1 name|"
	  "область|регіон" },
	{ MODEL_INCIDENT, "oblast_code", "oblast code|oblast pcode|admin1 pcode|adm1 pcode|"
	  "admin1 code|adm1 code|код області" },
	{ MODEL_INCIDENT, "raion", "district|admin2|adm2|admin 2|adm2 name|admin2 name|район" },
	{ MODEL_INCIDENT, "raion_code", "raion code|raion pcode|admin2 pcode|adm2 pcode|"
	  "admin2 code|adm2 code|код району" },
	{ MODEL_INCIDENT, "description", "details|notes|summary|comment|comments|narrative|опис|"
	  "подробиці|деталі|примітки|нотатки|коментар|коментарі|зміст|опис події" },
	{ MODEL_INCIDENT, "killed", "dead|deaths|fatalities|deceased|загинуло|загинули|загиблі|"
	  "загиблих|вбито|вбиті|кількість загиблих" },
	{ MODEL_INCIDENT, "injured", "wounded|injuries|поранено|поранені|поранених|травмовано|"
	  "кількість поранених" },
	{ MODEL_INCIDENT, "displaced", "idps|idp|переміщено|переміщені|впо|переселені" },
	{ MODEL_INCIDENT, "affected", "people affected|постраждало|постраждали|постраждалі|"
	  "постраждалих" },
	{ MODEL_INCIDENT, "reliability", "source reliability|надійність|надійність джерела" },
	{ MODEL_INCIDENT, "credibility", "information credibility|достовірність" },
	{ MODEL_INCIDENT, "org", "organisation|organization|agency|partner|reporting organisation|"
	  "reporting organization|організація|установа|партнер" },
	{ MODEL_INCIDENT, "sector", "cluster|сектор|кластер" },
	{ MODEL_INCIDENT, "url", "link|source url|website|web|посилання" },
	{ MODEL_INCIDENT, "source", "джерело" },
	{ MODEL_INCIDENT, "contact_name", "contact|contact name|contact person|reporter|reported by|"
	  "контакт|контактна особа|імя|піб|заявник" },
	{ MODEL_INCIDENT, "contact_phone", "phone|telephone|tel|mobile|contact phone|телефон|тел|"
	  "мобільний|номер телефону" },
	{ MODEL_INCIDENT, "contact_email", "email|e mail|mail|contact email|ел пошта|"
	  "електронна пошта|пошта" },
	{ MODEL_CONTACT, "name", "full name|contact|contact name|person|імя|піб|повне імя|контакт|"
	  "контактна особа|особа|прізвище імя" },
	{ MODEL_CONTACT, "org", "organisation|organization|agency|company|організація|установа|"
	  "компанія" },
	{ MODEL_CONTACT, "position", "title|job title|role|посада|роль" },
	{ MODEL_CONTACT, "category", "type|sector|cluster|категорія|тип|сектор" },
	{ MODEL_CONTACT, "phone", "telephone|tel|mobile|cell|phone number|телефон|тел|мобільний|"
	  "номер телефону" },
	{ MODEL_CONTACT, "email", "e mail|mail|ел пошта|електронна пошта|пошта" },
	{ MODEL_CONTACT, "radio", "call sign|callsign|позивний|радіо" },
	{ MODEL_CONTACT, "address", "street address|адреса" },
	{ MODEL_CONTACT, "notes", "note|description|comment|comments|details|примітки|нотатки|опис|"
	  "коментар" },
	{ MODEL_CONTACT, "tag", "labels|мітки|теги|тег" },
	{ MODEL_CONTACT, "source", "джерело" },
};

int
io_header_slot(enum model_kind kind, const char *header)
{
	char *words;
	int slot;

	/* cimic's own names first ("when", "source_id", "lat") */
	words = util_strdup(header);
	if (words == NULL)
		return SLOT_NONE;
	util_trim(words);
	for (char *p = words; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	slot = io_slot_by_name(kind, words);
	free(words);
	if (slot != SLOT_NONE)
		return slot;
	words = io_words(header);
	if (words == NULL || words[0] == '\0') {
		free(words);
		return SLOT_NONE;
	}
	slot = io_slot_by_name(kind, words);
	for (size_t i = 0; slot == SLOT_NONE && i < sizeof header_words / sizeof header_words[0]; i++)
		if ((header_words[i].kind == 0 || header_words[i].kind == kind) &&
		    io_words_in(words, header_words[i].words))
			slot = io_slot_by_name(kind, header_words[i].target);
	free(words);
	return slot;
}
