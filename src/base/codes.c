/* codes.c - fixed code lists with English labels (translated at display). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/codes.h"
#include "cimic/i18n.h"
#include "cimic/util.h"

#define LIST(name, items, fallback) { name, items, sizeof items / sizeof items[0], fallback }

static const struct code_item incident_types[] = {
	{ "civilian_harm", N_("civilian harm") },
	{ "infrastructure_damage", N_("infrastructure damage") },
	{ "utility_outage", N_("utility outage") },
	{ "evacuation", N_("evacuation") },
	{ "displacement", N_("displacement") },
	{ "humanitarian_access", N_("humanitarian access") },
	{ "shelter", N_("shelter") },
	{ "medical", N_("medical") },
	{ "food_water", N_("food and water") },
	{ "uxo", N_("unexploded ordnance") },
	{ "other", N_("other") },
};

static const struct code_item incident_statuses[] = {
	{ "reported", N_("reported") },
	{ "verified", N_("verified") },
	{ "in_progress", N_("in progress") },
	{ "resolved", N_("resolved") },
	{ "closed", N_("closed") },
};

static const struct code_item contact_categories[] = {
	{ "local_authority", N_("local authority") },
	{ "military_administration", N_("military administration") },
	{ "utility", N_("utility") },
	{ "health", N_("health") },
	{ "education", N_("education") },
	{ "emergency_service", N_("emergency service") },
	{ "police", N_("police") },
	{ "ngo", N_("NGO") },
	{ "un_agency", N_("UN agency") },
	{ "religious", N_("religious") },
	{ "volunteer", N_("volunteer") },
	{ "business", N_("business") },
	{ "shelter", N_("shelter") },
	{ "media", N_("media") },
	{ "other", N_("other") },
};

static const struct code_item node_roles[] = {
	{ "field", N_("field unit") },
	{ "hq", N_("headquarters") },
};

const struct code_list codes_incident_type = LIST(N_("incident type"), incident_types, "other");
const struct code_list codes_incident_status = LIST(N_("status"), incident_statuses, "reported");
const struct code_list codes_contact_category =
	LIST(N_("category"), contact_categories, "other");
const struct code_list codes_node_role = LIST(N_("role"), node_roles, "field");

const struct code_item *
codes_find(const struct code_list *list, const char *text)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i].code, text) == 0)
			return &list->items[i];
	for (size_t i = 0; i < list->count; i++) {
		const struct code_item *it = &list->items[i];
		/* strcasecmp folds ASCII only; translated labels must match exactly. */
		if (strcasecmp(it->label, text) == 0 || strcmp(_(it->label), text) == 0)
			return it;
	}
	return NULL;
}

const char *
codes_label(const struct code_list *list, const char *code)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i].code, code) == 0)
			return _(list->items[i].label);
	return code;
}

char *
codes_join(const struct code_list *list)
{
	struct buf b;
	char *s;

	buf_init(&b);
	for (size_t i = 0; i < list->count; i++) {
		if (i > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, list->items[i].code);
	}
	s = util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return s;
}
