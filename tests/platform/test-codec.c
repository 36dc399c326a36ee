/* test-codec.c — unit tests of the JSON codecs (owcodec): round trips and hostile shapes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/ow-case-number.h"
#include "core/ow-error.h"
#include "net/ow-json.h"

#define CASE_NO_DATE "20260105"

static char *
make_case_no (void)
{
  g_autoptr(GError) error = NULL;
  GDate date;
  char *case_no;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 5, G_DATE_JANUARY, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, 17, &error);
  g_assert_no_error (error);
  return case_no;
}

/* Every member present, in the shape HACKING.md gives, so that a round trip is exact. */
static char *
make_case_text (void)
{
  g_autofree char *case_no = make_case_no ();

  return g_strdup_printf (
    "{\"case_no\": \"%s\", \"query_code\": \"K7Q2MX\", \"state\": \"accepted\","
    " \"hall\": \"46010001\", \"counter\": 7, \"clerk\": \"clerk\","
    " \"received_at\": \"2026-01-05T06:30:00Z\", \"promised_date\": \"2026-01-20\","
    " \"document_no\": \"海口政服受〔2026〕1号\","
    " \"applicant\": {\"kind\": \"person\", \"name\": \"张三\","
    "   \"id_number\": \"11010519491231002X\", \"phone\": \"13800138000\","
    "   \"address\": \"海口市龙华区\", \"contact_name\": null},"
    " \"agent\": {\"kind\": \"organisation\", \"name\": \"海口代办服务有限公司\","
    "   \"id_number\": \"91350100M000100Y43\", \"phone\": \"13900139000\", \"address\": null,"
    "   \"contact_name\": \"王五\"},"
    " \"items\": [{\"item_id\": \"11460100MB1234567X400011\", \"basic_code\": \"000117001\","
    "   \"name\": \"食品经营许可（新办）\", \"department\": \"海口市市场监督管理局\"}],"
    " \"materials\": ["
    "   {\"material_id\": \"m1\", \"name\": \"申请书\", \"status\": \"scanned\", \"originals\": 1,"
    "    \"copies\": 0, \"licence_no\": null, \"due_date\": null, \"note\": null,"
    "    \"files\": [\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"]},"
    "   {\"material_id\": \"m2\", \"name\": \"营业执照\", \"status\": \"licence\", \"originals\": 0,"
    "    \"copies\": 0, \"licence_no\": \"DZZZ-2026-0001\", \"due_date\": null, \"note\": null,"
    "    \"files\": []},"
    "   {\"material_id\": \"m3\", \"name\": \"场所平面图\", \"status\": \"tolerated\","
    "    \"originals\": 0, \"copies\": 0, \"licence_no\": null, \"due_date\": \"2026-01-15\","
    "    \"note\": \"三日内补交\", \"files\": []}],"
    " \"delivery\": {\"kind\": \"post\", \"recipient\": \"张三\", \"phone\": \"13800138000\","
    "   \"address\": \"海口市龙华区滨海大道1号\"},"
    " \"refusal\": null}",
    case_no);
}

static char *
read_small_catalog (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("OW_TESTS_DIR"), "platform",
                                            "catalog-small.json", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = ow_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Round trips ------------------------------------------------------------------------------ */

static void
test_case_round_trip (void)
{
  g_autofree char *text = make_case_text ();
  g_autofree char *case_no = make_case_no ();
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *expected = NULL, *actual = NULL;
  const OwCaseMaterial *tolerated;

  kase = ow_json_to_case (node, &field, &error);
  g_assert_no_error (error);
  g_assert_null (field);
  g_assert_nonnull (kase);

  g_assert_cmpstr (ow_case_get_case_no (kase), ==, case_no);
  g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpuint (ow_case_get_counter (kase), ==, 7);
  g_assert_cmpstr (ow_case_get_applicant (kase)->id_number, ==, "11010519491231002X");
  g_assert_cmpint (ow_case_get_agent (kase)->kind, ==, OW_APPLICANT_ORGANISATION);
  g_assert_cmpuint (ow_case_get_items (kase)->len, ==, 1);
  g_assert_cmpuint (ow_case_get_materials (kase)->len, ==, 3);
  g_assert_cmpint (ow_case_get_delivery (kase), ==, OW_DELIVERY_POST);
  g_assert_cmpint (g_date_get_day (ow_case_get_promised_date (kase)), ==, 20);
  tolerated = ow_case_find_material (kase, "m3");
  g_assert_nonnull (tolerated);
  g_assert_cmpint (tolerated->status, ==, OW_MATERIAL_STATUS_TOLERATED);
  g_assert_cmpint (g_date_get_day (&tolerated->due_date), ==, 15);
  g_assert_cmpint (g_date_time_get_hour (ow_case_get_received_at (kase)), ==, 6);

  again = ow_json_from_case (kase);
  expected = ow_json_to_canonical (node);
  actual = ow_json_to_canonical (again);
  g_assert_cmpstr (actual, ==, expected);
}

/* A member set in the canonical text is what setting it on the parsed object and writing it
 * again gives: replaced, or put in its place among the others; anything not in the canonical
 * form at its top level is left to the parser (NULL). */
static void
test_canonical_set_string (void)
{
  g_autofree char *text = make_case_text ();
  g_autoptr(JsonNode) node = parse (text);
  g_autofree char *canonical = ow_json_to_canonical (node);
  static const char * const objects[] = {
    "{}", "{\"a\":1}", "{\"z\":[1,{\"state\":\"x\"}]}", "{\"s\":\"}\\\"\",\"t\":null}",
    "{\"state\":\"old\",\"statf\":{\"a\":[]}}", "{\"stat\":true,\"state\":{\"b\":\"c\"}}",
  };
  static const char * const refused[] = {
    "[]", "{\"b\":1,\"a\":2}", "{ \"a\":1}", "{\"a\":1}x", "{\"a\":", "{\"a\":\"b}",
    "{\"a\\u0062\":1}",
  };

  for (guint i = 0; i <= G_N_ELEMENTS (objects); i++)
    {
      const char *object = i < G_N_ELEMENTS (objects) ? objects[i] : canonical;
      g_autoptr(JsonNode) parsed = parse (object);
      g_autofree char *expected = NULL;
      g_autofree char *actual = ow_json_canonical_set_string (object, "state", "ready \"\xe2\x80\x9c");

      json_object_set_string_member (json_node_get_object (parsed), "state", "ready \"\xe2\x80\x9c");
      expected = ow_json_to_canonical (parsed);
      g_assert_cmpstr (actual, ==, expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_null (ow_json_canonical_set_string (refused[i], "state", "x"));
}

/* The channel came after v1's first cases: a case without it keeps the canonical form it had,
 * so that a resend from an outbox filled before compares equal on the platform. */
static void
test_case_channel (void)
{
  g_autofree char *text = make_case_text ();
  g_autoptr(JsonNode) node = parse (text);
  g_autofree char *before = ow_json_to_canonical (node);
  static const char * const names[] = { "window", "online", "mobile", "self-service", "post" };

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OwCase) kase = ow_json_to_case (node, NULL, &error);
    g_autoptr(JsonNode) again = NULL;
    g_autofree char *canonical = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (ow_case_get_channel (kase), ==, OW_CASE_CHANNEL_NONE);
    again = ow_json_from_case (kase);
    canonical = ow_json_to_canonical (again);
    g_assert_cmpstr (canonical, ==, before);
    g_assert_null (strstr (canonical, "channel"));
  }

  /* null reads as absent. */
  {
    g_autoptr(JsonNode) with_null = parse (text);
    g_autoptr(GError) error = NULL;
    g_autoptr(OwCase) kase = NULL;
    g_autoptr(JsonNode) again = NULL;
    g_autofree char *canonical = NULL;

    json_object_set_null_member (json_node_get_object (with_null), "channel");
    kase = ow_json_to_case (with_null, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ow_case_get_channel (kase), ==, OW_CASE_CHANNEL_NONE);
    again = ow_json_from_case (kase);
    canonical = ow_json_to_canonical (again);
    g_assert_cmpstr (canonical, ==, before);
  }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonNode) with = parse (text);
      g_autoptr(GError) error = NULL;
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *canonical = NULL;

      json_object_set_string_member (json_node_get_object (with), "channel", names[i]);
      kase = ow_json_to_case (with, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ow_case_get_channel (kase), ==, i + 1);
      again = ow_json_from_case (kase);
      expected = ow_json_to_canonical (with);
      canonical = ow_json_to_canonical (again);
      g_assert_cmpstr (canonical, ==, expected);
      g_assert_cmpstr (canonical, !=, before);
    }

  /* Anything else is refused, naming the member. */
  {
    static const char * const bad[] = { "\"fax\"", "\"Window\"", "\"\"", "1", "true", "[]" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *member = g_strdup_printf ("{\"channel\": %s}", bad[i]);
        g_autoptr(JsonNode) value = parse (member);
        g_autoptr(JsonNode) with = parse (text);
        g_autoptr(GError) error = NULL;
        g_autofree char *field = NULL;
        g_autoptr(OwCase) kase = NULL;

        json_object_set_member (json_node_get_object (with), "channel",
                                json_node_copy (json_object_get_member (
                                  json_node_get_object (value), "channel")));
        kase = ow_json_to_case (with, &field, &error);
        g_assert_null (kase);
        g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
        g_assert_cmpstr (field, ==, "channel");
      }
  }
}

static void
test_case_refusal_round_trip (void)
{
  g_autofree char *text = make_case_text ();
  g_autoptr(GString) refused = g_string_new (text);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL, *actual = NULL;

  g_string_replace (refused, "\"refusal\": null",
                    "\"refusal\": {\"reason\": \"不属于本机关职权范围\","
                    " \"competent_organ\": \"海南省市场监督管理局\"}", 1);
  g_string_replace (refused, "\"accepted\"", "\"refused\"", 1);
  node = parse (refused->str);

  kase = ow_json_to_case (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ow_case_get_refusal_reason (kase), ==, "不属于本机关职权范围");
  g_assert_cmpstr (ow_case_get_competent_organ (kase), ==, "海南省市场监督管理局");

  again = ow_json_from_case (kase);
  expected = ow_json_to_canonical (node);
  actual = ow_json_to_canonical (again);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_item_round_trip (void)
{
  g_autofree char *catalog_text = read_small_catalog ();
  g_autoptr(JsonNode) catalog = parse (catalog_text);
  JsonArray *items = json_object_get_array_member (json_node_get_object (catalog), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_autoptr(OwItem) item = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autofree char *expected = NULL, *actual = NULL;

      item = ow_json_to_item (node, &field, &error);
      g_assert_no_error (error);
      g_assert_nonnull (item);

      again = ow_json_from_item (item);
      expected = ow_json_to_canonical (node);
      actual = ow_json_to_canonical (again);
      g_assert_cmpstr (actual, ==, expected);
    }
}

static void
test_item_fields (void)
{
  g_autofree char *catalog_text = read_small_catalog ();
  g_autoptr(JsonNode) catalog = parse (catalog_text);
  JsonArray *items = json_object_get_array_member (json_node_get_object (catalog), "items");
  g_autoptr(OwItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwMaterial) material = NULL;

  item = ow_json_to_item (json_array_get_element (items, 0), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ow_item_get_id (item), ==, "11460100MB1234567X400011");
  g_assert_cmpint (ow_item_get_item_type (item), ==, OW_ITEM_TYPE_LICENSING);
  g_assert_cmpint (ow_item_get_level (item), ==, OW_ITEM_LEVEL_CITY);
  g_assert_cmpuint (ow_item_get_targets (item), ==, OW_TARGET_PERSON | OW_TARGET_ENTERPRISE);
  g_assert_cmpuint (ow_item_get_forms (item), ==, OW_FORM_WINDOW | OW_FORM_WEB | OW_FORM_MOBILE);
  g_assert_cmpuint (ow_item_get_promised_limit (item), ==, 3);
  g_assert_cmpstr (ow_item_get_aliases (item)[0], ==, "开饭店办证");
  g_assert_cmpstr (ow_item_get_faq (item)[1], ==, "零跑动，可网上办理。");
  g_assert_cmpuint (g_list_model_get_n_items (ow_item_get_materials (item)), ==, 2);
  material = g_list_model_get_item (ow_item_get_materials (item), 1);
  g_assert_cmpint (ow_material_get_source (material), ==, OW_MATERIAL_SOURCE_GOVERNMENT);
  g_assert_cmpint (ow_material_get_form (material), ==, OW_MATERIAL_FORM_PAPER);
  g_assert_true (ow_material_get_shared_exempt (material));
  g_assert_true (ow_material_get_tolerable (material));

  g_clear_object (&item);
  item = ow_json_to_item (json_array_get_element (items, 1), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ow_item_get_forms (item), ==, OW_FORM_WINDOW | OW_FORM_OTHER);
  g_assert_cmpint (ow_item_get_item_type (item), ==, OW_ITEM_TYPE_PUBLIC_SERVICE);
}

static void
test_catalog (void)
{
  g_autofree char *text = read_small_catalog ();
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(OwCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  OwBundle *bundle;

  catalog = ow_json_to_catalog (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_catalog_get_revision (catalog), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (ow_catalog_get_items (catalog)), ==, 2);
  g_assert_cmpuint (ow_catalog_get_bundles (catalog)->len, ==, 1);
  bundle = g_ptr_array_index (ow_catalog_get_bundles (catalog), 0);
  g_assert_cmpstr (bundle->name, ==, "开办餐饮店");
  g_assert_cmpuint (g_strv_length (bundle->item_ids), ==, 2);
}

/* Hostile shapes --------------------------------------------------------------------------- */

typedef struct
{
  const char *from;      /* text in the valid case to replace */
  const char *to;
  const char *field;     /* the field the error must name */
} Breakage;

static const Breakage case_breakages[] = {
  { "\"applicant\": {\"kind\": \"person\",", "\"applicant\": [], \"x\": {\"kind\": \"person\",",
    "applicant" },
  { "\"kind\": \"person\"", "\"kind\": \"alien\"", "applicant.kind" },
  { "\"id_number\": \"11010519491231002X\"", "\"id_number\": 110105", "applicant.id_number" },
  { "\"id_number\": \"11010519491231002X\"", "\"id_number\": null", "applicant.id_number" },
  { "\"contact_name\": \"王五\"", "\"contact_name\": false", "agent.contact_name" },
  { "\"case_no\":", "\"number\":", "case_no" },
  { "\"state\": \"accepted\"", "\"state\": \"teleported\"", "state" },
  { "\"state\": \"accepted\"", "\"state\": 3", "state" },
  { "\"counter\": 7", "\"counter\": -1", "counter" },
  { "\"counter\": 7", "\"counter\": 7.5", "counter" },
  { "\"counter\": 7", "\"counter\": \"7\"", "counter" },
  { "\"received_at\": \"2026-01-05T06:30:00Z\"", "\"received_at\": \"2026-01-05 06:30\"",
    "received_at" },
  { "\"promised_date\": \"2026-01-20\"", "\"promised_date\": \"2026-02-30\"", "promised_date" },
  { "\"promised_date\": \"2026-01-20\"", "\"promised_date\": \"20/01/2026\"", "promised_date" },
  { "\"items\": [{", "\"items\": \"x\", \"y\": [{", "items" },
  { "\"items\": [{\"item_id\": \"11460100MB1234567X400011\",", "\"items\": [{",
    "items[0].item_id" },
  { "\"status\": \"scanned\"", "\"status\": \"lost\"", "materials[0].status" },
  { "\"copies\": 0, \"licence_no\": \"DZZZ", "\"copies\": 1e3, \"licence_no\": \"DZZZ",
    "materials[1].copies" },
  { "\"due_date\": \"2026-01-15\"", "\"due_date\": \"soon\"", "materials[2].due_date" },
  { "\"9f86d081", "\"zz86d081", "materials[0].files[0]" },
  { "\"files\": [\"9f86", "\"files\": [7, \"9f86", "materials[0].files[0]" },
  { "{\"material_id\": \"m2\"", "{\"material_id\": \"m1\"", "materials[1].material_id" },
  { "\"kind\": \"post\"", "\"kind\": \"drone\"", "delivery.kind" },
  { "\"delivery\": {", "\"delivery\": 1, \"x\": {", "delivery" },
  { "\"refusal\": null", "\"refusal\": {}", "refusal.reason" },
  { "\"refusal\": null", "\"refusal\": \"no\"", "refusal" },
};

static void
test_case_breakages (void)
{
  g_autofree char *text = make_case_text ();

  for (guint i = 0; i < G_N_ELEMENTS (case_breakages); i++)
    {
      const Breakage *b = &case_breakages[i];
      g_autoptr(GString) broken = g_string_new (text);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(OwCase) kase = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;

      g_test_message ("breakage %u: %s → %s", i, b->from, b->to);
      g_assert_cmpuint (g_string_replace (broken, b->from, b->to, 1), ==, 1);
      node = parse (broken->str);
      kase = ow_json_to_case (node, &field, &error);
      g_assert_null (kase);
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      g_assert_cmpstr (field, ==, b->field);
      /* The message names the field too, for whoever reads only the message. */
      g_assert_nonnull (strstr (error->message, b->field));
    }
}

static const Breakage item_breakages[] = {
  { "\"type\": \"01\"", "\"type\": \"99\"", "type" },
  { "\"level\": \"city\"", "\"level\": \"galaxy\"", "level" },
  { "\"targets\": [1, 2]", "\"targets\": [1, 7]", "targets[1]" },
  { "\"forms\": [1, 2, 3]", "\"forms\": [1, \"2\"]", "forms[1]" },
  { "\"aliases\": [\"开饭店办证\"", "\"aliases\": [null", "aliases[0]" },
  { "\"legal_limit\": 20", "\"legal_limit\": true", "legal_limit" },
  { "\"form\": \"paper\"", "\"form\": \"stone\"", "materials[1].form" },
  { "\"source\": \"applicant\"", "\"source\": \"heaven\"", "materials[0].source" },
  { "\"required\": true, \"form\": \"either\"", "\"required\": \"yes\", \"form\": \"either\"",
    "materials[0].required" },
  { "{\"id\": \"m2\"", "{\"id\": \"m1\"", "materials[1].id" },
  { "{\"q\": \"需要跑几次？\",", "{", "faq[0].q" },
  { "\"id\": \"11460100MB1234567X400011\"", "\"id\": \"11460100MB1234567X40001100\"", "id" },
};

static void
test_item_breakages (void)
{
  g_autofree char *text = read_small_catalog ();

  for (guint i = 0; i < G_N_ELEMENTS (item_breakages); i++)
    {
      const Breakage *b = &item_breakages[i];
      g_autoptr(GString) broken = g_string_new (text);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(OwItem) item = NULL;
      g_autoptr(OwCatalog) catalog = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) catalog_error = NULL;
      g_autofree char *field = NULL;
      g_autofree char *in_catalog = NULL;
      JsonArray *items;

      g_test_message ("breakage %u: %s → %s", i, b->from, b->to);
      g_assert_cmpuint (g_string_replace (broken, b->from, b->to, 1), ==, 1);
      node = parse (broken->str);
      items = json_object_get_array_member (json_node_get_object (node), "items");

      item = ow_json_to_item (json_array_get_element (items, 0), &field, &error);
      g_assert_null (item);
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      g_assert_cmpstr (field, ==, b->field);

      /* The catalog decoder fails too, and says which item. */
      catalog = ow_json_to_catalog (node, &catalog_error);
      g_assert_null (catalog);
      g_assert_error (catalog_error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      in_catalog = g_strconcat ("items[0].", b->field, NULL);
      g_assert_nonnull (strstr (catalog_error->message, in_catalog));
    }
}

static void
test_catalog_breakages (void)
{
  g_autofree char *text = read_small_catalog ();
  const char *cases[][2] = {
    { "\"revision\": 3", "\"revision\": \"3\"" },
    { "\"items\": [\"11460100MB1234567X400011\", \"11460100MB1234567X400022\"]",
      "\"items\": [\"11460100MB1234567X400011\", \"nope\"]" },
    { "\"id\": \"11460100MB1234567X400022\"", "\"id\": \"11460100MB1234567X400011\"" },
    { "\"bundles\": [{", "\"bundles\": [7, {" },
  };
  const char *fields[] = { "revision", "bundles[0].items[1]", "items[1].id", "bundles[0]" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) broken = g_string_new (text);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(OwCatalog) catalog = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (g_string_replace (broken, cases[i][0], cases[i][1], 1), ==, 1);
      node = parse (broken->str);
      catalog = ow_json_to_catalog (node, &error);
      g_assert_null (catalog);
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, fields[i]));
    }
}

static void
test_not_objects (void)
{
  const char *texts[] = { "[]", "7", "\"case\"", "null", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) node = parse (texts[i]);
      g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
      g_autofree char *field = NULL;
      g_autoptr(OwCase) kase = ow_json_to_case (node, &field, &e1);
      g_autoptr(OwItem) item = ow_json_to_item (node, NULL, &e2);
      g_autoptr(OwCatalog) catalog = ow_json_to_catalog (node, &e3);
      g_autoptr(OwApplicant) applicant = ow_json_to_applicant (node, "applicant", NULL, &e4);

      g_assert_null (kase);
      g_assert_error (e1, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
      g_assert_null (item);
      g_assert_error (e2, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
      g_assert_null (catalog);
      g_assert_error (e3, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
      g_assert_null (applicant);
      g_assert_error (e4, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
    }
}

/* Replaces every member anywhere in the case, in turn, with values of every type: the decoder
 * answers each with a case or an error naming a field, and never crashes. */
static void
replace_each_member (JsonNode *root,
                     JsonNode *node,
                     guint    *tried)
{
  const char *replacements[] = { "null", "0", "-5", "1.5", "\"\"", "\"\xe4\xb8\xad\"", "[]", "{}",
                                 "true", "[null]", "{\"a\": []}" };

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        replace_each_member (root, json_array_get_element (array, i), tried);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;

  {
    JsonObject *object = json_node_get_object (node);
    g_autoptr(GList) members = json_object_get_members (object);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    /* Copies: replacing a member may free the name the object held. */
    for (GList *l = members; l != NULL; l = l->next)
      g_ptr_array_add (names, g_strdup (l->data));

    for (guint m = 0; m < names->len; m++)
      {
        const char *name = g_ptr_array_index (names, m);
        JsonNode *original = json_node_copy (json_object_get_member (object, name));

        for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
          {
            g_autoptr(JsonNode) value = parse (replacements[r]);
            g_autoptr(OwCase) kase = NULL;
            g_autoptr(GError) error = NULL;
            g_autofree char *field = NULL;

            json_object_set_member (object, name, json_node_copy (value));
            kase = ow_json_to_case (root, &field, &error);
            if (kase == NULL)
              {
                g_assert_nonnull (error);
                g_assert_true (error->domain == OW_CORE_ERROR);
                g_assert_nonnull (field);
              }
            else
              {
                g_autoptr(JsonNode) encoded = ow_json_from_case (kase);
                g_assert_nonnull (encoded);
              }
            (*tried)++;
          }

        json_object_set_member (object, name, original);
        replace_each_member (root, json_object_get_member (object, name), tried);
      }
  }
}

static void
test_case_fuzz_members (void)
{
  g_autofree char *text = make_case_text ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  guint tried = 0;

  /* A mutable tree (ow_json_parse's is immutable). */
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  replace_each_member (root, root, &tried);
  g_assert_cmpuint (tried, >, 500);
}

static void
test_truncations (void)
{
  g_autofree char *text = make_case_text ();
  gsize length = strlen (text);

  /* Every prefix of a valid case is either malformed (PARSE) or, rarely, not a case. */
  for (gsize n = 0; n < length; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = ow_json_parse (text, (gssize) n, &error);

      if (node == NULL)
        {
          g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
          continue;
        }
      {
        g_autoptr(OwCase) kase = ow_json_to_case (node, NULL, &error);
        g_assert_null (kase);
        g_assert_nonnull (error);
      }
    }
}

/* Parsing and canonical form --------------------------------------------------------------- */

/* A NUL cannot be kept in a C string: json-glib would cut "a\u0000b" to "a". Refused, naming
 * where it is, whatever the member. */
static void
test_nul_escapes (void)
{
  static const struct
  {
    const char *text;
    const char *field;  /* NULL: a top-level string */
  } cases[] = {
    { "{\"applicant\": {\"id_number\": \"11010519491231002X\\u0000junk\"}}",
      "applicant.id_number" },
    { "{\"applicant\": {\"kind\": \"person\", \"name\": \"a\\u0000b\"}}", "applicant.name" },
    { "{\"a\": 1, \"materials\": [{\"files\": []}, {\"note\": \"x\", \"files\": "
      "[\"a\", \"\\u0000\"]}]}", "materials[1].files[1]" },
    { "{\"x\": {\"y\": [[1, 2], [3, \"\\u0000\"]]}}", "x.y[1][1]" },
    { "{\"na\\u0000me\": 1}", "na" },
    { "{\"a\": \"\\\\\\u0000\"}", "a" },
    { "\"\\u0000\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autoptr(JsonNode) node = ow_json_parse_full (cases[i].text, -1, &field, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_null (node);
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      g_assert_cmpstr (field, ==, cases[i].field);
    }

  /* An escaped backslash before "u0000" is six characters of text, kept as they are. */
  {
    g_autoptr(JsonNode) node = parse ("{\"a\": \"x\\\\u0000\"}");
    g_autofree char *canonical = ow_json_to_canonical (node);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==,
                     "x\\u0000");
    g_assert_cmpstr (canonical, ==, "{\"a\":\"x\\\\u0000\"}");
  }
  /* Other escapes are not NULs. */
  {
    g_autoptr(JsonNode) node = parse ("{\"a\": \"\\u0010\\u0001\\u000a\"}");

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==,
                     "\020\001\n");
  }
}

/* A time must read back as it is written: four digits of year, in UTC (found by fuzz-json). */
static void
test_times (void)
{
  static const char *bad[] = { "0356-11-25T06:30:00Z", "0001-01-01T00:00:00Z",
                               "9999-12-31T23:00:00-05:00", "2026-11-25T06:30:00" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"id\": \"e-1\", \"kind\": \"approved\", "
                                               "\"at\": \"%s\"}", bad[i]);
      g_autoptr(JsonNode) node = parse (text);
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, &field, &error);
      g_autoptr(OwTicketEvent) ticket_event = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_null (event);
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      g_assert_cmpstr (field, ==, "at");
      g_clear_error (&error);
      g_clear_pointer (&field, g_free);
      g_free (text);
      text = g_strdup_printf ("{\"id\": \"e-1\", \"kind\": \"started\", \"at\": \"%s\"}", bad[i]);
      g_clear_pointer (&node, json_node_unref);
      node = parse (text);
      ticket_event = ow_json_to_ticket_event (node, &field, &error);
      g_assert_null (ticket_event);
      g_assert_cmpstr (field, ==, "at");
    }
  {
    g_autoptr(JsonNode) node = parse ("{\"id\": \"e-1\", \"kind\": \"approved\", "
                                      "\"at\": \"1000-01-01T08:00:00+08:00\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, &error);
    g_autoptr(JsonNode) again = NULL;
    g_autofree char *canonical = NULL;

    g_assert_no_error (error);
    again = ow_json_from_case_event (event);
    canonical = ow_json_to_canonical (again);
    g_assert_nonnull (strstr (canonical, "\"at\":\"1000-01-01T00:00:00Z\""));
  }
}

/* Names and identifiers hold no control characters; text a person wrote keeps them all. */
static void
test_control_characters (void)
{
  static const struct
  {
    const char *from;
    const char *to;
    const char *field;  /* NULL: decodes, with the text kept exactly */
  } cases[] = {
    { "\"name\": \"张三\"", "\"name\": \"张\\u0001三\"", "applicant.name" },
    { "\"name\": \"张三\"", "\"name\": \"张三\\t\"", "applicant.name" },
    { "\"name\": \"张三\"", "\"name\": \"\\u202e三张\"", "applicant.name" },
    { "\"name\": \"张三\"", "\"name\": \"张三\\u0085\"", "applicant.name" },
    { "\"name\": \"张三\"", "\"name\": \"张\\u007f三\"", "applicant.name" },
    { "\"clerk\": \"clerk\"", "\"clerk\": \"cle\\nrk\"", "clerk" },
    { "\"licence_no\": \"DZZZ-2026-0001\"", "\"licence_no\": \"DZZZ\\r-2026\"",
      "materials[1].licence_no" },
    { "\"name\": \"营业执照\"", "\"name\": \"营业\\u2066执照\"", "materials[1].name" },
    { "\"address\": \"海口市龙华区\"",
      "\"address\": \"海口市龙华区\\n滨海大道\\t1号\\u202e\\u0001\"", NULL },
    { "\"note\": \"三日内补交\"", "\"note\": \"三日内\\r\\n补交\\u0007\"", NULL },
  };
  g_autofree char *text = make_case_text ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) changed = g_string_new (text);
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(OwCase) kase = NULL;

      g_assert_cmpuint (g_string_replace (changed, cases[i].from, cases[i].to, 1), ==, 1);
      g_test_message ("%s", cases[i].to);
      node = parse (changed->str);
      kase = ow_json_to_case (node, &field, &error);
      if (cases[i].field != NULL)
        {
          g_assert_null (kase);
          g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
          g_assert_cmpstr (field, ==, cases[i].field);
        }
      else
        {
          g_autoptr(JsonNode) again = NULL;
          g_autofree char *expected = ow_json_to_canonical (node);
          g_autofree char *actual = NULL;

          g_assert_no_error (error);
          again = ow_json_from_case (kase);
          actual = ow_json_to_canonical (again);
          g_assert_cmpstr (actual, ==, expected);
        }
    }

  g_assert_true (ow_json_text_is_allowed ("summary", "一\t二\n"));
  g_assert_false (ow_json_text_is_allowed ("contact_name", "王\n五"));
  g_assert_false (ow_json_text_is_allowed (NULL, "\xe2\x80\x8f"));
  g_assert_true (ow_json_text_is_allowed (NULL, "王五 (Wang Wu) 〔2026〕"));
}

static void
test_parse_errors (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *bad[] = { "", "{", "{\"a\": }", "{'a': 1}", "\xff\xfe", "{\"a\": \"\xc3\x28\"}",
                        "nul",
                        /* Escapes json-glib takes but JSON does not (found by fuzz-json). */
                        "{\"a\": \"\\u266 0\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"\\udc00x\"}",
                        "{\"a\": \"\\ud800x\"}", "{\"a\": \"\\ud800\\u0041\"}", "{\"a\": \"\\q\"}",
                        "{\"\\udfff\": 1}", "\"\\",
                        /* json-glib leaks what it built before the second value. */
                        "{\"a\": 1}{\"b\": 2}", "[1] [2]", "1 2", "\"a\" \"b\"", "true false",
                        "{} 1",
                        /* Numbers json-glib would wrap around or make infinite. */
                        "{\"counter\": 18446744073709551623}", "{\"a\": -9223372036854775809}",
                        "{\"a\": [1e400]}", "{\"a\": -1e400}", "{\"a\": 1e-400}",
                        /* Numbers JSON does not write. */
                        "{\"a\": -0.}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": 1.2.3}", "{\"a\": +1}",
                        "{\"a\": 1e}", "{\"a\": -}", "{\"a\": 0x10}" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = ow_json_parse (bad[i], -1, &error);

      g_test_message ("malformed input %u", i);
      g_assert_null (node);
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
    }

  /* An embedded NUL is not text. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = ow_json_parse ("{\"a\": 1}\0{}", 11, &error);

    g_assert_null (node);
    g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  }

  for (guint i = 0; i < 200000; i++)
    g_string_append (deep, "{\"a\":[");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = ow_json_parse (deep->str, (gssize) deep->len, &error);

    g_assert_null (node);
    g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  }

  /* The largest whole numbers are kept exactly. */
  {
    g_autoptr(JsonNode) node = parse ("{\"a\": 9223372036854775807, \"b\": -9223372036854775808, "
                                      "\"c\": 0.5e3, \"d\": -0, \"e\": -0.0, \"f\": 1E+2}");
    g_autofree char *canonical = ow_json_to_canonical (node);

    g_assert_cmpstr (canonical, ==, "{\"a\":9223372036854775807,\"b\":-9223372036854775808,"
                                    "\"c\":500.0,\"d\":0,\"e\":-0.0,\"f\":100.0}");
  }

  /* A surrogate pair is one character. */
  {
    g_autoptr(JsonNode) node = parse ("{\"a\": \"\\ud83d\\ude00\\u00e9\"}");

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==,
                     "\xf0\x9f\x98\x80\xc3\xa9");
  }

  /* Brackets inside strings do not count as nesting. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = ow_json_parse ("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}",
                                              -1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (node);
  }
}

static void
test_canonical (void)
{
  g_autoptr(JsonNode) a = parse ("{\"b\": 1, \"a\": {\"d\": [1, {\"z\": true, \"y\": null}],"
                                 " \"c\": \"x\\\"\\n\\u0001中\"}, \"e\": -2.5}");
  g_autoptr(JsonNode) b = parse ("{\"e\": -2.5, \"a\": {\"c\": \"x\\\"\\n\\u0001中\","
                                 " \"d\": [1, {\"y\": null, \"z\": true}]}, \"b\": 1}");
  g_autoptr(JsonNode) c = parse ("{\"a\": {\"d\": [{\"y\": null, \"z\": true}, 1]}}");
  g_autofree char *ca = ow_json_to_canonical (a);
  g_autofree char *cb = ow_json_to_canonical (b);
  g_autofree char *cc = ow_json_to_canonical (c);
  g_autoptr(JsonNode) reparsed = NULL;
  g_autofree char *again = NULL;

  g_assert_cmpstr (ca, ==,
                   "{\"a\":{\"c\":\"x\\\"\\n\\u0001中\",\"d\":[1,{\"y\":null,\"z\":true}]},"
                   "\"b\":1,\"e\":-2.5}");
  g_assert_cmpstr (ca, ==, cb);
  /* Arrays keep their order: that is meaning, not spelling. */
  g_assert_cmpstr (cc, ==, "{\"a\":{\"d\":[{\"y\":null,\"z\":true},1]}}");

  /* The canonical form is JSON and canonical again. */
  reparsed = parse (ca);
  again = ow_json_to_canonical (reparsed);
  g_assert_cmpstr (again, ==, ca);
}

static void
test_applicant (void)
{
  g_autoptr(JsonNode) node = parse ("{\"kind\": \"organisation\", \"name\": \"海口某某有限公司\","
                                    " \"id_number\": \"91350100M000100Y43\"}");
  g_autoptr(OwApplicant) applicant = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  JsonObject *object;

  applicant = ow_json_to_applicant (node, "agent", &field, &error);
  g_assert_no_error (error);
  g_assert_cmpint (applicant->kind, ==, OW_APPLICANT_ORGANISATION);
  g_assert_null (applicant->phone);

  /* Absent optional members come back as null, never missing. */
  again = ow_json_from_applicant (applicant);
  object = json_node_get_object (again);
  g_assert_true (json_object_has_member (object, "phone"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "phone")));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "organisation");
}

/* Case events: decoded strictly, encoded in one canonical form whatever zone the time came in. */
static void
test_case_event (void)
{
  static const struct
  {
    const char *json;
    const char *field;  /* NULL: decodes */
  } cases[] = {
    { "{\"id\": \"e-1\", \"kind\": \"approved\", \"at\": \"2026-11-25T14:30:00+08:00\"}", NULL },
    { "{\"id\": \"e-1\", \"kind\": \"mailed\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"waybill\": \"SF1\", \"note\": null}", NULL },
    { "{\"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\"}", "id" },
    { "{\"id\": \"\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\"}", "id" },
    { "{\"id\": \"a b\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\"}", "id" },
    { "{\"id\": 7, \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\"}", "id" },
    { "{\"id\": \"e\", \"kind\": \"Approved\", \"at\": \"2026-11-25T06:30:00Z\"}", "kind" },
    { "{\"id\": \"e\", \"kind\": null, \"at\": \"2026-11-25T06:30:00Z\"}", "kind" },
    { "{\"id\": \"e\", \"kind\": \"approved\"}", "at" },
    { "{\"id\": \"e\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00\"}", "at" },
    { "{\"id\": \"e\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"note\": {}}", "note" },
    { "{\"id\": \"e\", \"kind\": \"mailed\", \"at\": \"2026-11-25T06:30:00Z\"}", "waybill" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = ow_json_parse (cases[i].json, -1, &error);
      g_autoptr(OwJsonCaseEvent) event = NULL;
      g_autofree char *field = NULL;

      g_assert_no_error (error);
      event = ow_json_to_case_event (node, &field, &error);
      if (cases[i].field == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (event);
        }
      else
        {
          g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
          g_assert_null (event);
          g_assert_cmpstr (field, ==, cases[i].field);
        }
    }

  /* The same moment in two zones is the same event. */
  {
    g_autoptr(JsonNode) a = ow_json_parse (cases[0].json, -1, NULL);
    g_autoptr(JsonNode) b = ow_json_parse ("{\"at\": \"2026-11-25T06:30:00Z\", "
                                           "\"kind\": \"approved\", \"id\": \"e-1\", "
                                           "\"note\": null}", -1, NULL);
    g_autoptr(OwJsonCaseEvent) ea = ow_json_to_case_event (a, NULL, NULL);
    g_autoptr(OwJsonCaseEvent) eb = ow_json_to_case_event (b, NULL, NULL);
    g_autoptr(JsonNode) na = ow_json_from_case_event (ea);
    g_autoptr(JsonNode) nb = ow_json_from_case_event (eb);
    g_autofree char *ca = ow_json_to_canonical (na);
    g_autofree char *cb = ow_json_to_canonical (nb);

    g_assert_cmpstr (ca, ==, cb);
    g_assert_cmpstr (ca, ==, "{\"at\":\"2026-11-25T06:30:00Z\",\"id\":\"e-1\","
                             "\"kind\":\"approved\",\"note\":null,\"waybill\":null}");
  }
}

/* The members that amend the case: absent, an event reads and compares exactly as before;
 * present, they go round the codec and apply to a case as the platform and the counter both do
 * it; each is refused on a kind that does not take it. */
static void
test_case_event_amendments (void)
{
  static const char *sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static const struct
  {
    const char *json;
    const char *field;  /* NULL: decodes */
  } cases[] = {
    { "{\"id\": \"e\", \"kind\": \"accepted\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"promised_date\": null, \"document_no\": null, \"materials\": null}", NULL },
    { "{\"id\": \"e\", \"kind\": \"resumed\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"promised_date\": \"2026-12-01\"}", NULL },
    { "{\"id\": \"e\", \"kind\": \"approved\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"promised_date\": \"2026-12-01\"}", "promised_date" },
    { "{\"id\": \"e\", \"kind\": \"accepted\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"promised_date\": \"2026-02-30\"}", "promised_date" },
    { "{\"id\": \"e\", \"kind\": \"accepted\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"promised_date\": \"2026-12-1\"}", "promised_date" },
    { "{\"id\": \"e\", \"kind\": \"resumed\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"document_no\": \"海口政服受〔2026〕1号\"}", "document_no" },
    { "{\"id\": \"e\", \"kind\": \"accepted\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"document_no\": \"\"}", "document_no" },
    { "{\"id\": \"e\", \"kind\": \"accepted\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [{\"material_id\": \"m1\", \"status\": \"paper\", \"originals\": 1, "
      "\"copies\": 0}]}", "materials" },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": []}", NULL },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [{\"status\": \"paper\", \"originals\": 1, \"copies\": 0}]}",
      "materials[0].material_id" },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [{\"material_id\": \"m1\", \"status\": \"paper\", \"originals\": 1}]}",
      "materials[0].copies" },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [{\"material_id\": \"m1\", \"status\": \"missing\", \"originals\": 0, "
      "\"copies\": 0}]}", "materials[0].status" },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [{\"material_id\": \"m1\", \"status\": \"scanned\", \"originals\": 0, "
      "\"copies\": 0, \"files\": [\"abc\"]}]}", "materials[0].files[0]" },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [{\"material_id\": \"m1\", \"status\": \"paper\", \"originals\": 1000, "
      "\"copies\": 0}]}", "materials[0].originals" },
    { "{\"id\": \"e\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"materials\": [7]}", "materials[0]" },
  };
  g_autofree char *full = g_strdup_printf (
    "{\"id\": \"e-2\", \"kind\": \"supplement-received\", \"at\": \"2026-11-25T14:30:00+08:00\", "
    "\"materials\": [{\"material_id\": \"m2\", \"status\": \"paper\", \"originals\": 1, "
    "\"copies\": 2, \"note\": \"已盖章\"}, {\"material_id\": \"m3\", \"status\": \"scanned\", "
    "\"originals\": 0, \"copies\": 0, \"files\": [\"%s\"]}, {\"material_id\": \"m4\", "
    "\"status\": \"licence\", \"originals\": 0, \"copies\": 0, \"licence_no\": \"L-1\"}]}",
    sha);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = ow_json_parse (cases[i].json, -1, &error);
      g_autoptr(OwJsonCaseEvent) event = NULL;
      g_autofree char *field = NULL;

      g_assert_no_error (error);
      event = ow_json_to_case_event (node, &field, &error);
      if (cases[i].field == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (event);
        }
      else
        {
          g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
          g_assert_null (event);
          g_assert_cmpstr (field, ==, cases[i].field);
        }
    }

  /* Absent, null or empty: the canonical form of before, so an id that comes again from an
   * outbox filled before the upgrade still compares equal. */
  {
    g_autoptr(JsonNode) node = ow_json_parse (cases[0].json, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(JsonNode) again = ow_json_from_case_event (event);
    g_autofree char *canonical = ow_json_to_canonical (again);

    g_assert_false (g_date_valid (&event->promised_date));
    g_assert_null (event->document_no);
    g_assert_null (event->materials);
    g_assert_cmpstr (canonical, ==, "{\"at\":\"2026-11-25T06:30:00Z\",\"id\":\"e\","
                                    "\"kind\":\"accepted\",\"note\":null,\"waybill\":null}");
  }
  {
    g_autoptr(JsonNode) node = ow_json_parse (cases[8].json, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(JsonNode) again = ow_json_from_case_event (event);
    g_autofree char *canonical = ow_json_to_canonical (again);

    g_assert_null (event->materials);
    g_assert_null (strstr (canonical, "materials"));
  }

  /* Present: round trip, through a copy, in one canonical form whatever the order or zone. */
  {
    g_autoptr(JsonNode) node = ow_json_parse (full, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(OwJsonCaseEvent) copy = NULL;
    g_autoptr(OwJsonCaseEvent) back = NULL;
    g_autoptr(JsonNode) encoded = NULL;
    g_autoptr(JsonNode) encoded_copy = NULL;
    g_autofree char *canonical = NULL;
    g_autofree char *canonical_copy = NULL;
    g_autoptr(GError) error = NULL;
    const OwCaseMaterial *line;

    g_assert_nonnull (event);
    g_assert_cmpuint (event->materials->len, ==, 3);
    line = g_ptr_array_index (event->materials, 1);
    g_assert_cmpint (line->status, ==, OW_MATERIAL_STATUS_SCANNED);
    g_assert_cmpstr (g_ptr_array_index (line->files, 0), ==, sha);
    copy = ow_json_case_event_copy (event);
    encoded = ow_json_from_case_event (event);
    encoded_copy = ow_json_from_case_event (copy);
    canonical = ow_json_to_canonical (encoded);
    canonical_copy = ow_json_to_canonical (encoded_copy);
    g_assert_cmpstr (canonical, ==, canonical_copy);
    g_assert_nonnull (strstr (canonical, "\"at\":\"2026-11-25T06:30:00Z\""));
    g_assert_nonnull (strstr (canonical, "{\"copies\":2,\"files\":[],\"licence_no\":null,"
                                         "\"material_id\":\"m2\",\"note\":\"已盖章\","
                                         "\"originals\":1,\"status\":\"paper\"}"));
    back = ow_json_to_case_event (encoded, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((OwCaseMaterial *) g_ptr_array_index (back->materials, 2))->licence_no,
                     ==, "L-1");
  }
  {
    g_autoptr(JsonNode) node = ow_json_parse ("{\"promised_date\": \"2026-12-09\", "
                                              "\"kind\": \"accepted\", \"id\": \"e-3\", "
                                              "\"document_no\": \"海口政服受〔2026〕7号\", "
                                              "\"at\": \"2026-11-25T06:30:00Z\"}", -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(JsonNode) again = ow_json_from_case_event (event);
    g_autofree char *canonical = ow_json_to_canonical (again);

    g_assert_cmpstr (canonical, ==, "{\"at\":\"2026-11-25T06:30:00Z\","
                                    "\"document_no\":\"海口政服受〔2026〕7号\",\"id\":\"e-3\","
                                    "\"kind\":\"accepted\",\"note\":null,"
                                    "\"promised_date\":\"2026-12-09\",\"waybill\":null}");
  }

  /* Applied to a case: the arrived lines replace theirs, the rest stays; a line the case does
   * not have changes nothing. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OwCase) kase = ow_case_new ("4601000107202611250001X");
    g_autoptr(JsonNode) node = ow_json_parse (full, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(JsonNode) accepted_node = NULL;
    g_autoptr(OwJsonCaseEvent) accepted = NULL;
    g_autofree char *field = NULL;
    const char *ids[] = { "m1", "m2", "m3", "m4" };
    OwCaseMaterial *m2;
    GDate due;

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        OwCaseMaterial *material = ow_case_material_new (ids[i], "材料");

        material->status = i == 0 ? OW_MATERIAL_STATUS_PAPER : OW_MATERIAL_STATUS_TOLERATED;
        material->note = g_strdup ("要补");
        g_date_clear (&due, 1);
        g_date_set_dmy (&due, 1, 12, 2026);
        material->due_date = due;
        ow_case_add_material (kase, material);
      }
    g_assert_true (ow_json_case_event_amend (event, kase, &field, &error));
    g_assert_no_error (error);
    m2 = ow_case_find_material (kase, "m2");
    g_assert_cmpint (m2->status, ==, OW_MATERIAL_STATUS_PAPER);
    g_assert_cmpuint (m2->copies, ==, 2);
    g_assert_cmpstr (m2->note, ==, "已盖章");
    g_assert_cmpstr (m2->name, ==, "材料");
    g_assert_false (g_date_valid (&m2->due_date));
    g_assert_cmpint (ow_case_find_material (kase, "m3")->status, ==, OW_MATERIAL_STATUS_SCANNED);
    g_assert_cmpint (ow_case_find_material (kase, "m4")->status, ==, OW_MATERIAL_STATUS_LICENCE);
    g_assert_cmpstr (ow_case_find_material (kase, "m1")->note, ==, "要补");
    g_assert_false (g_date_valid (ow_case_get_promised_date (kase)));

    accepted_node = ow_json_parse ("{\"id\": \"e-4\", \"kind\": \"accepted\", "
                                   "\"at\": \"2026-11-25T06:30:00Z\", "
                                   "\"promised_date\": \"2026-12-09\", "
                                   "\"document_no\": \"海口政服受〔2026〕7号\"}", -1, NULL);
    accepted = ow_json_to_case_event (accepted_node, NULL, NULL);
    g_assert_true (ow_json_case_event_amend (accepted, kase, NULL, &error));
    g_assert_cmpuint (g_date_get_day (ow_case_get_promised_date (kase)), ==, 9);
    g_assert_cmpstr (ow_case_get_document_no (kase), ==, "海口政服受〔2026〕7号");

  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OwCase) partial = ow_case_new ("4601000107202611250002X");
    g_autoptr(JsonNode) node = ow_json_parse (full, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autofree char *field = NULL;

    ow_case_add_material (partial, ow_case_material_new ("m2", "材料"));
    ow_case_add_material (partial, ow_case_material_new ("m3", "材料"));
    g_assert_false (ow_json_case_event_amend (event, partial, &field, &error));
    g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
    g_assert_cmpstr (field, ==, "materials[2].material_id");
    g_assert_cmpint (ow_case_find_material (partial, "m2")->status, ==,
                     OW_MATERIAL_STATUS_MISSING);
  }
}

static void
test_ticket (void)
{
  g_autoptr(GDateTime) registered = g_date_time_new_utc (2026, 11, 25, 2, 0, 0);
  g_autoptr(OwTicket) ticket = ow_ticket_new ("t-1", registered, OW_TICKET_TIER_5_DAYS,
                                              "不动产登记网上预约失败");
  g_autoptr(OwTicket) back = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  ticket->channel = g_strdup ("online");
  ticket->case_no = g_strdup ("4601000107202611250001X");
  request = ow_json_from_ticket_request (ticket);
  object = json_node_get_object (request);
  /* What the counter sends: the registration only, never the platform's members. */
  g_assert_false (json_object_has_member (object, "state"));
  g_assert_false (json_object_has_member (object, "hall"));
  g_assert_cmpstr (json_object_get_string_member (object, "registered_at"), ==,
                   "2026-11-25T02:00:00Z");
  g_assert_true (json_object_get_null_member (object, "contact_name"));
  back = ow_json_to_ticket (request, &field, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->state, ==, OW_TICKET_STATE_REGISTERED);
  g_assert_cmpstr (back->case_no, ==, ticket->case_no);
  g_clear_pointer (&back, ow_ticket_free);

  ticket->state = OW_TICKET_STATE_IN_PROGRESS;
  ticket->hall = g_strdup ("46010001");
  ticket->assignee = g_strdup ("department");
  g_date_set_dmy (&ticket->due_date, 2, G_DATE_DECEMBER, 2026);
  ticket->escalated_at = g_date_time_new_utc (2026, 12, 3, 1, 0, 0);
  full = ow_json_from_ticket (ticket);
  back = ow_json_to_ticket (full, &field, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->state, ==, OW_TICKET_STATE_IN_PROGRESS);
  g_assert_cmpstr (back->assignee, ==, "department");
  g_assert_cmpuint (g_date_get_day (&back->due_date), ==, 2);
  g_assert_true (g_date_time_equal (back->escalated_at, ticket->escalated_at));
  g_clear_pointer (&back, ow_ticket_free);

  /* Breakages name the member. */
  json_object_set_string_member (json_node_get_object (full), "state", "lost");
  g_assert_null (ow_json_to_ticket (full, &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, "state");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  json_object_set_string_member (json_node_get_object (full), "id", "t 1");
  g_assert_null (ow_json_to_ticket (full, &field, &error));
  g_assert_cmpstr (field, ==, "id");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  json_object_remove_member (json_node_get_object (request), "tier");
  g_assert_null (ow_json_to_ticket (request, &field, &error));
  g_assert_cmpstr (field, ==, "tier");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  /* Events: members only where they belong. */
  {
    g_autoptr(OwTicketEvent) event = ow_ticket_event_new ("e-1", OW_TICKET_EVENT_CALLED_BACK,
                                                          registered);
    g_autoptr(OwTicketEvent) event_back = NULL;
    g_autoptr(JsonNode) node = NULL;

    event->reached = TRUE;
    event->satisfaction = OW_TICKET_SATISFACTION_VERY_DISSATISFIED;
    node = ow_json_from_ticket_event (event);
    text = ow_json_to_canonical (node);
    g_assert_cmpstr (text, ==, "{\"at\":\"2026-11-25T02:00:00Z\",\"id\":\"e-1\","
                     "\"kind\":\"called-back\",\"note\":null,\"reached\":true,"
                     "\"satisfaction\":\"very-dissatisfied\"}");
    event_back = ow_json_to_ticket_event (node, &field, &error);
    g_assert_no_error (error);
    g_assert_cmpint (event_back->satisfaction, ==, OW_TICKET_SATISFACTION_VERY_DISSATISFIED);
    g_assert_true (event_back->reached);

    json_object_set_string_member (json_node_get_object (node), "satisfaction", "5");
    g_assert_null (ow_json_to_ticket_event (node, &field, &error));
    g_assert_cmpstr (field, ==, "satisfaction");
    g_clear_error (&error);
    g_clear_pointer (&field, g_free);
    json_object_set_string_member (json_node_get_object (node), "kind", "escalated");
    g_assert_null (ow_json_to_ticket_event (node, &field, &error));
    g_assert_cmpstr (field, ==, "kind");
  }
}

/* The pick-up window's members: a carrier on a mailing, who collected on a hand-over, and what
 * was handed over; each only on its kinds, each checked, and each left out of the canonical form
 * when absent, so that an older counter's event still compares equal. */
static void
test_case_event_pickup (void)
{
  static const char *page = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static const struct
  {
    const char *json;
    const char *field;  /* NULL: decodes */
  } cases[] = {
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": null, \"results\": null}", NULL },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": {\"kind\": \"applicant\", \"name\": \"张三\", "
      "\"id_number\": \"11010519491231002X\"}, "
      "\"results\": [{\"name\": \"营业执照\", \"number\": \"91460100MA5T00000X\"}]}", NULL },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": {\"kind\": \"applicant\", \"name\": \"张三\", "
      "\"id_number\": \"110105194912310021\"}}", "collector.id_number" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": {\"kind\": \"courier\", \"name\": \"张三\", "
      "\"id_number\": \"11010519491231002X\"}}", "collector.kind" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": {\"name\": \"张三\"}}", "collector.kind" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": \"张三\"}", "collector" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": {\"kind\": \"agent\", \"name\": \"李四\", "
      "\"id_number\": \"460100200002291233\", \"phone\": \"13800138000\"}}",
      "collector.letter_files" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"collector\": {\"kind\": \"agent\", \"name\": \"李四\", "
      "\"id_number\": \"460100200002291233\", \"letter_files\": [\"%s\"]}}", "collector.phone" },
    { "{\"id\": \"e\", \"kind\": \"mailed\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"waybill\": \"EA123456785CN\", \"collector\": {\"kind\": \"applicant\", "
      "\"name\": \"张三\", \"id_number\": \"11010519491231002X\"}}", "collector" },
    { "{\"id\": \"e\", \"kind\": \"mailed\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"waybill\": \"EA123456785CN\", \"carrier\": \"ems\", "
      "\"results\": [{\"name\": \"营业执照\"}]}", NULL },
    { "{\"id\": \"e\", \"kind\": \"mailed\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"waybill\": \"EA123456785CN\", \"carrier\": \"e m s\"}", "carrier" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"carrier\": \"ems\"}", "carrier" },
    { "{\"id\": \"e\", \"kind\": \"delivered\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"results\": [{\"name\": \"营业执照\"}]}", "results" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"results\": [{\"number\": \"1\"}]}", "results[0].name" },
    { "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T06:30:00Z\", "
      "\"results\": [3]}", "results[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) pieces = g_strsplit (cases[i].json, "%s", -1);
      g_autofree char *json = g_strjoinv (page, pieces);
      g_autoptr(JsonNode) node = ow_json_parse (json, -1, &error);
      g_autoptr(OwJsonCaseEvent) event = NULL;
      g_autofree char *field = NULL;

      g_assert_no_error (error);
      event = ow_json_to_case_event (node, &field, &error);
      if (cases[i].field == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (event);
        }
      else
        {
          if (event != NULL)
            g_error ("case %u decoded but should fail at %s", i, cases[i].field);
          g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
          g_assert_cmpstr (field, ==, cases[i].field);
        }
    }

  /* Absent or null: the canonical form an older counter's event always had. */
  {
    g_autoptr(JsonNode) node = ow_json_parse (cases[0].json, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(JsonNode) again = ow_json_from_case_event (event);
    g_autofree char *canonical = ow_json_to_canonical (again);

    g_assert_cmpstr (canonical, ==, "{\"at\":\"2026-11-25T06:30:00Z\",\"id\":\"e\","
                                    "\"kind\":\"handed-over\",\"note\":null,\"waybill\":null}");
  }

  /* An agent with everything: round trip through a copy, in one canonical form. */
  {
    g_autofree char *json = g_strdup_printf (
      "{\"id\": \"e\", \"kind\": \"handed-over\", \"at\": \"2026-11-25T14:30:00+08:00\", "
      "\"results\": [{\"number\": null, \"name\": \"不予许可决定书\"}], "
      "\"collector\": {\"letter_files\": [\"%s\"], \"phone\": \"13800138000\", "
      "\"kind\": \"agent\", \"name\": \"李四\", \"id_number\": \"460100200002291233\"}}", page);
    g_autoptr(JsonNode) node = ow_json_parse (json, -1, NULL);
    g_autoptr(OwJsonCaseEvent) event = ow_json_to_case_event (node, NULL, NULL);
    g_autoptr(OwJsonCaseEvent) copy = NULL;
    g_autoptr(JsonNode) encoded = NULL;
    g_autoptr(JsonNode) encoded_copy = NULL;
    g_autofree char *canonical = NULL;
    g_autofree char *canonical_copy = NULL;
    g_autofree char *expected = g_strdup_printf (
      "{\"at\":\"2026-11-25T06:30:00Z\",\"collector\":{\"id_number\":\"460100200002291233\","
      "\"kind\":\"agent\",\"letter_files\":[\"%s\"],\"name\":\"李四\","
      "\"phone\":\"13800138000\"},\"id\":\"e\",\"kind\":\"handed-over\",\"note\":null,"
      "\"results\":[{\"name\":\"不予许可决定书\",\"number\":null}],\"waybill\":null}", page);

    g_assert_nonnull (event);
    g_assert_cmpint (event->collector->kind, ==, OW_COLLECTOR_AGENT);
    g_assert_cmpuint (event->collector->letter_files->len, ==, 1);
    g_assert_cmpuint (event->results->len, ==, 1);
    copy = ow_json_case_event_copy (event);
    encoded = ow_json_from_case_event (event);
    encoded_copy = ow_json_from_case_event (copy);
    canonical = ow_json_to_canonical (encoded);
    canonical_copy = ow_json_to_canonical (encoded_copy);
    g_assert_cmpstr (canonical, ==, expected);
    g_assert_cmpstr (canonical_copy, ==, expected);
  }
}

/* A rating as the counter sends it: the platform's stored shape, time in UTC to the second. */
static void
test_rating (void)
{
  g_autoptr(OwRating) rating = ow_rating_new ("4601000107202611250001X",
                                              OW_RATING_VERY_SATISFIED, "");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *expected = NULL;

  g_free (rating->id);
  rating->id = g_strdup ("r-1");
  g_date_time_unref (rating->at);
  rating->at = g_date_time_new_from_iso8601 ("2026-11-25T14:30:05.25+08:00", NULL);
  node = ow_json_from_rating (rating);
  canonical = ow_json_to_canonical (node);
  expected = g_strdup ("{\"at\":\"2026-11-25T06:30:05Z\",\"case_no\":\"4601000107202611250001X\","
                       "\"channel\":\"on-site\",\"id\":\"r-1\",\"level\":1,\"text\":null}");
  g_assert_cmpstr (canonical, ==, expected);
}

/* Users ------------------------------------------------------------------------------------ */

/* A user reads back as written; a platform from before departments (or display names) still
 * reads; a wrong member is refused by name. */
static void
test_user (void)
{
  char *roles[] = { "department", NULL };
  OwUser zhao = { .username = "department", .display_name = "赵强", .roles = roles,
                  .hall = "46010001", .hall_name = "海口市政务服务中心", .counter = 0,
                  .department = "海口市市场监督管理局" };
  static const struct
  {
    const char *json;
    const char *field;
  } bad[] = {
    { "{\"display_name\": \"赵强\"}", "username" },
    { "{\"username\": \"\"}", "username" },
    { "{\"username\": 7}", "username" },
    { "{\"username\": \"a\", \"department\": 5}", "department" },
    { "{\"username\": \"a\", \"roles\": \"clerk\"}", "roles" },
    { "{\"username\": \"a\", \"roles\": [\"clerk\", 3]}", "roles[1]" },
    { "{\"username\": \"a\", \"counter\": 10000}", "counter" },
    { "{\"username\": \"a\", \"counter\": -1}", "counter" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *named = NULL;
  g_autoptr(JsonNode) node = ow_json_from_user (&zhao);
  g_autoptr(OwUser) back = ow_json_to_user (node, &field, &error);
  JsonObject *object = json_node_get_object (node);

  g_assert_no_error (error);
  g_assert_false (json_object_has_member (object, "password_hash"));
  g_assert_cmpstr (json_object_get_string_member (object, "department"), ==,
                   "海口市市场监督管理局");
  g_assert_cmpstr (back->username, ==, "department");
  g_assert_cmpstr (back->display_name, ==, "赵强");
  g_assert_cmpstr (back->department, ==, "海口市市场监督管理局");
  g_assert_cmpstr (back->hall_name, ==, "海口市政务服务中心");
  g_assert_true (ow_user_has_role (back, "department"));
  named = ow_user_describe (back);
  g_assert_cmpstr (named, ==, "赵强 · 海口市市场监督管理局");
  g_clear_pointer (&back, ow_user_free);
  g_clear_pointer (&named, g_free);

  /* Everyone else works for no department: null on the wire, the name alone in the interface. */
  zhao.department = NULL;
  g_clear_pointer (&node, json_node_unref);
  node = ow_json_from_user (&zhao);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "department"));
  back = ow_json_to_user (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (back->department);
  named = ow_user_describe (back);
  g_assert_cmpstr (named, ==, "赵强");
  g_clear_pointer (&back, ow_user_free);
  g_clear_pointer (&node, json_node_unref);

  /* An older platform: no department, no display name, no roles. */
  node = parse ("{\"username\": \"clerk\", \"hall\": \"46010001\", \"counter\": 7}");
  back = ow_json_to_user (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (back->department);
  g_assert_cmpstr (back->display_name, ==, "clerk");
  g_assert_nonnull (back->roles);
  g_assert_null (back->roles[0]);
  g_assert_cmpuint (back->counter, ==, 7);
  g_clear_pointer (&back, ow_user_free);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) wrong = parse (bad[i].json);

      g_clear_pointer (&field, g_free);
      g_assert_null (ow_json_to_user (wrong, &field, &error));
      g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
      g_assert_cmpstr (field, ==, bad[i].field);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/case/round-trip", test_case_round_trip);
  g_test_add_func ("/codec/case/refusal-round-trip", test_case_refusal_round_trip);
  g_test_add_func ("/codec/case/channel", test_case_channel);
  g_test_add_func ("/codec/case/breakages", test_case_breakages);
  g_test_add_func ("/codec/case/fuzz-members", test_case_fuzz_members);
  g_test_add_func ("/codec/case/truncations", test_truncations);
  g_test_add_func ("/codec/item/round-trip", test_item_round_trip);
  g_test_add_func ("/codec/item/fields", test_item_fields);
  g_test_add_func ("/codec/item/breakages", test_item_breakages);
  g_test_add_func ("/codec/catalog/decode", test_catalog);
  g_test_add_func ("/codec/catalog/breakages", test_catalog_breakages);
  g_test_add_func ("/codec/applicant", test_applicant);
  g_test_add_func ("/codec/not-objects", test_not_objects);
  g_test_add_func ("/codec/parse-errors", test_parse_errors);
  g_test_add_func ("/codec/nul-escapes", test_nul_escapes);
  g_test_add_func ("/codec/control-characters", test_control_characters);
  g_test_add_func ("/codec/times", test_times);
  g_test_add_func ("/codec/canonical", test_canonical);
  g_test_add_func ("/codec/case-event", test_case_event);
  g_test_add_func ("/codec/case-event/amendments", test_case_event_amendments);
  g_test_add_func ("/codec/ticket", test_ticket);
  g_test_add_func ("/codec/case-event/pickup", test_case_event_pickup);
  g_test_add_func ("/codec/rating", test_rating);
  g_test_add_func ("/codec/canonical-set-string", test_canonical_set_string);
  g_test_add_func ("/codec/user", test_user);

  return g_test_run ();
}
