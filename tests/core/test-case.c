/* test-case.c — the case, its state machine, validation and stored form
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/ow-case.h"
#include "core/ow-error.h"

#define CASE_NO "4601000107202611250001X"
#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

/* Short names so that the expected table below reads as a table. */
enum { RCV = OW_CASE_STATE_RECEIVED, SUP = OW_CASE_STATE_SUPPLEMENT_REQUESTED,
       ACC = OW_CASE_STATE_ACCEPTED, REF = OW_CASE_STATE_REFUSED,
       SUS = OW_CASE_STATE_SUSPENDED, APP = OW_CASE_STATE_APPROVED,
       NAP = OW_CASE_STATE_NOT_APPROVED, RDY = OW_CASE_STATE_RESULT_READY,
       HND = OW_CASE_STATE_HANDED_OVER, MLD = OW_CASE_STATE_MAILED,
       DLV = OW_CASE_STATE_DELIVERED, WDR = OW_CASE_STATE_WITHDRAWN,
       ___ = 0 };

#define N_STATES 12
#define N_EVENTS 13

/* expected[state - 1][event - 1]: the state after the event, or ___ when it is illegal.
 * Events, in the enum's order: accepted, refused, supplement-requested, supplement-received,
 * suspended, resumed, approved, not-approved, result-ready, handed-over, mailed, delivered,
 * withdrawn. */
static const int expected[N_STATES][N_EVENTS] = {
  /*            acc  ref  sRq  sRc  sus  res  app  nap  rdy  hnd  mai  dlv  wdr */
  /* RCV */   { ACC, REF, SUP, ___, ___, ___, ___, ___, ___, ___, ___, ___, WDR },
  /* SUP */   { ___, ___, ___, RCV, ___, ___, ___, ___, ___, ___, ___, ___, WDR },
  /* ACC */   { ___, ___, ___, ___, SUS, ___, APP, NAP, ___, ___, ___, ___, WDR },
  /* REF */   { ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___ },
  /* SUS */   { ___, ___, ___, ___, ___, ACC, ___, ___, ___, ___, ___, ___, WDR },
  /* APP */   { ___, ___, ___, ___, ___, ___, ___, ___, RDY, ___, ___, ___, ___ },
  /* NAP */   { ___, ___, ___, ___, ___, ___, ___, ___, RDY, ___, ___, ___, ___ },
  /* RDY */   { ___, ___, ___, ___, ___, ___, ___, ___, ___, HND, MLD, ___, ___ },
  /* HND */   { ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___ },
  /* MLD */   { ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, DLV, ___ },
  /* DLV */   { ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___ },
  /* WDR */   { ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___ },
};

static const char *state_strings[N_STATES] = {
  "received", "supplement-requested", "accepted", "refused", "suspended", "approved",
  "not-approved", "result-ready", "handed-over", "mailed", "delivered", "withdrawn",
};

static const char *event_strings[N_EVENTS] = {
  "accepted", "refused", "supplement-requested", "supplement-received", "suspended", "resumed",
  "approved", "not-approved", "result-ready", "handed-over", "mailed", "delivered", "withdrawn",
};

static GDate
make_date (int year, int month, int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return date;
}

static void
test_state_machine (void)
{
  guint legal = 0;

  for (int state = 1; state <= N_STATES; state++)
    for (int event = 1; event <= N_EVENTS; event++)
      {
        g_autoptr(GError) error = NULL;
        OwCaseState next = 99;
        gboolean ok = ow_case_state_apply (state, event, &next, &error);

        if (expected[state - 1][event - 1] != ___)
          {
            if (!ok)
              g_error ("%s + %s should be allowed: %s", state_strings[state - 1],
                       event_strings[event - 1], error->message);
            g_assert_no_error (error);
            g_assert_cmpint (next, ==, expected[state - 1][event - 1]);
            legal++;
          }
        else
          {
            if (ok)
              g_error ("%s + %s should be refused", state_strings[state - 1],
                       event_strings[event - 1]);
            g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
            g_assert_cmpint (next, ==, 99);
            /* The message names the state. */
            g_assert_nonnull (strstr (error->message, ow_case_state_to_label (state)));
          }
      }
  g_assert_cmpuint (legal, ==, 17);

  /* Values outside the enums. */
  {
    g_autoptr(GError) error = NULL;
    OwCaseState next;

    g_assert_false (ow_case_state_apply (0, OW_CASE_EVENT_ACCEPTED, &next, &error));
    g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
    g_clear_error (&error);
    g_assert_false (ow_case_state_apply (OW_CASE_STATE_RECEIVED, 14, &next, &error));
    g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
    g_assert_true (ow_case_state_apply (OW_CASE_STATE_RECEIVED, OW_CASE_EVENT_ACCEPTED, NULL,
                                        NULL));
  }
}

static void
test_state_properties (void)
{
  /* Final: no step leads out. Clock: runs only while the organ owes a decision. */
  const gboolean finals[N_STATES] = { 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1 };
  const gboolean clocks[N_STATES] = { 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

  for (int state = 1; state <= N_STATES; state++)
    {
      gboolean has_way_out = FALSE;

      g_assert_cmpint (ow_case_state_is_final (state), ==, finals[state - 1]);
      g_assert_cmpint (ow_case_state_clock_runs (state), ==, clocks[state - 1]);
      for (int event = 1; event <= N_EVENTS; event++)
        has_way_out |= expected[state - 1][event - 1] != ___;
      g_assert_cmpint (has_way_out, ==, !finals[state - 1]);
    }
  g_assert_false (ow_case_state_is_final (0));
  g_assert_false (ow_case_state_clock_runs (0));
}

static void
test_strings (void)
{
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) event_labels = g_hash_table_new (g_str_hash, g_str_equal);
  OwMaterialStatus status;
  OwDeliveryKind delivery;
  const char *statuses[] = { "missing", "paper", "scanned", "shared", "licence", "tolerated" };
  const gboolean provided[] = { FALSE, TRUE, TRUE, TRUE, TRUE, FALSE };

  for (int state = 1; state <= N_STATES; state++)
    {
      OwCaseState parsed = 0;
      const char *label = ow_case_state_to_label (state);

      g_assert_cmpstr (ow_case_state_to_string (state), ==, state_strings[state - 1]);
      g_assert_true (ow_case_state_from_string (state_strings[state - 1], &parsed));
      g_assert_cmpint (parsed, ==, state);
      g_assert_nonnull (label);
      g_assert_true (g_hash_table_add (labels, (gpointer) label));
    }
  for (int event = 1; event <= N_EVENTS; event++)
    {
      OwCaseEventKind parsed = 0;

      g_assert_cmpstr (ow_case_event_kind_to_string (event), ==, event_strings[event - 1]);
      g_assert_true (ow_case_event_kind_from_string (event_strings[event - 1], &parsed));
      g_assert_cmpint (parsed, ==, event);
      /* Each event has a label of its own for the timelines. */
      g_assert_nonnull (ow_case_event_kind_to_label (event));
      g_assert_true (g_hash_table_add (event_labels,
                                       (gpointer) ow_case_event_kind_to_label (event)));
    }
  g_assert_null (ow_case_event_kind_to_label (0));
  g_assert_null (ow_case_event_kind_to_label (N_EVENTS + 1));
  for (int i = 0; i < (int) G_N_ELEMENTS (statuses); i++)
    {
      g_assert_cmpstr (ow_material_status_to_string (i), ==, statuses[i]);
      g_assert_true (ow_material_status_from_string (statuses[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_cmpint (ow_material_status_is_provided (i), ==, provided[i]);
    }
  g_assert_cmpstr (ow_delivery_kind_to_string (OW_DELIVERY_PICKUP), ==, "pickup");
  g_assert_cmpstr (ow_delivery_kind_to_string (OW_DELIVERY_POST), ==, "post");
  g_assert_true (ow_delivery_kind_from_string ("post", &delivery));
  g_assert_cmpint (delivery, ==, OW_DELIVERY_POST);

  /* Outside the enums, and unknown or differently spelled names. */
  g_assert_null (ow_case_state_to_string (0));
  g_assert_null (ow_case_state_to_string (13));
  g_assert_null (ow_case_state_to_label (13));
  g_assert_null (ow_case_event_kind_to_string (0));
  g_assert_null (ow_case_event_kind_to_string (14));
  g_assert_null (ow_material_status_to_string (6));
  g_assert_null (ow_delivery_kind_to_string (0));
  g_assert_null (ow_delivery_kind_to_string (3));
  g_assert_false (ow_case_state_from_string ("Received", NULL));
  g_assert_false (ow_case_state_from_string ("result_ready", NULL));
  g_assert_false (ow_case_state_from_string ("", NULL));
  g_assert_false (ow_case_state_from_string (NULL, NULL));
  g_assert_false (ow_case_event_kind_from_string ("resume", NULL));
  g_assert_false (ow_material_status_from_string ("lost", NULL));
  g_assert_false (ow_delivery_kind_from_string ("courier", NULL));
  g_assert_false (ow_material_status_is_provided (17));
}

static void
state_notified_cb (GObject    *object,
                   GParamSpec *pspec,
                   guint      *count)
{
  (*count)++;
}

static void
test_apply_event (void)
{
  g_autoptr(OwCase) kase = ow_case_new (CASE_NO);
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  int state = 0;

  g_signal_connect (kase, "notify::state", G_CALLBACK (state_notified_cb), &notified);
  g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_RECEIVED);

  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_SUPPLEMENT_REQUESTED, &error));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_SUPPLEMENT_RECEIVED, &error));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_ACCEPTED, &error));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_SUSPENDED, &error));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_RESUMED, &error));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_APPROVED, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 6);

  /* A forbidden step leaves the case as it was and says nothing changed. */
  g_assert_false (ow_case_apply_event (kase, OW_CASE_EVENT_WITHDRAWN, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpstr (error->message, ==, "Withdrawal is not possible for a case that is “Approved”");
  g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_APPROVED);
  g_assert_cmpuint (notified, ==, 6);

  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_RESULT_READY, NULL));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_MAILED, NULL));
  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_DELIVERED, NULL));
  g_object_get (kase, "state", &state, NULL);
  g_assert_cmpint (state, ==, OW_CASE_STATE_DELIVERED);

  /* Restoring a state is not a step, and restoring the same state notifies nothing. */
  ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpint (ow_case_get_state (kase), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpuint (notified, ==, 10);
  ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpuint (notified, ==, 10);
}

static OwApplicant *
make_person (const char *name,
             const char *id_number)
{
  OwApplicant *person = ow_applicant_new (OW_APPLICANT_PERSON);

  person->name = g_strdup (name);
  person->id_number = g_strdup (id_number);
  person->phone = g_strdup ("13800138000");
  return person;
}

/* A complete, valid case with every field set to something other than its default. */
static OwCase *
make_case (void)
{
  OwCase *kase = ow_case_new (CASE_NO);
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_ORGANISATION);
  g_autoptr(OwApplicant) agent = make_person ("张三", "11010519491231002X");
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 25, 6, 30, 12.345678);
  GDate promised = make_date (2026, 12, 9);
  OwCaseMaterial *scanned, *licence, *tolerated, *paper;

  applicant->name = g_strdup ("海口某某餐饮有限公司");
  applicant->id_number = g_strdup ("91350100M000100Y43");
  applicant->phone = g_strdup ("13907550000");
  applicant->address = g_strdup ("海口市龙华区某路 1 号");
  applicant->contact_name = g_strdup ("李四");
  agent->address = g_strdup ("北京市西城区");

  ow_case_set_query_code (kase, "K7Q2MX");
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  ow_case_set_promised_date (kase, &promised);
  ow_case_set_document_no (kase, "海口政服受〔2026〕1号");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_agent (kase, agent);
  ow_case_add_item (kase, ow_case_item_new ("11460100MB1234567X4000117009000", "000117009",
                                            "食品经营许可", "海口市市场监督管理局"));
  ow_case_add_item (kase, ow_case_item_new ("B", NULL, "企业设立登记", NULL));

  scanned = ow_case_material_new ("m1", "营业执照");
  scanned->status = OW_MATERIAL_STATUS_SCANNED;
  scanned->originals = 1;
  scanned->copies = 2;
  g_ptr_array_add (scanned->files, g_strdup (SHA_A));
  g_ptr_array_add (scanned->files, g_strdup (SHA_B));
  ow_case_add_material (kase, scanned);

  licence = ow_case_material_new ("m2", "身份证");
  licence->status = OW_MATERIAL_STATUS_LICENCE;
  licence->licence_no = g_strdup ("460100-DZZZ-0001");
  ow_case_add_material (kase, licence);

  tolerated = ow_case_material_new ("m3", "场地使用证明");
  tolerated->status = OW_MATERIAL_STATUS_TOLERATED;
  tolerated->due_date = make_date (2026, 12, 2);
  tolerated->note = g_strdup ("承诺 12 月 2 日前补交");
  ow_case_add_material (kase, tolerated);

  paper = ow_case_material_new ("m4", "申请书");
  paper->status = OW_MATERIAL_STATUS_PAPER;
  paper->originals = 1;
  ow_case_add_material (kase, paper);

  ow_case_add_material (kase, ow_case_material_new ("m5", "健康证明"));

  ow_case_set_refusal (kase, "不属于本机关职权范围", "海口市卫生健康委员会");
  ow_case_set_delivery (kase, OW_DELIVERY_POST, "王五", "+86 139 0000 1111",
                        "海口市美兰区某路 2 号");
  ow_case_set_state (kase, OW_CASE_STATE_MAILED);
  return kase;
}

static void
test_accessors (void)
{
  g_autoptr(OwCase) kase = ow_case_new ("46010001-07-20261125-0001-x");
  g_autoptr(OwCase) odd = ow_case_new ("garbage");
  g_autoptr(OwCase) full = make_case ();
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *case_no = NULL;

  /* A valid number is kept in its canonical form, anything else as given. */
  g_assert_cmpstr (ow_case_get_case_no (kase), ==, CASE_NO);
  g_object_get (kase, "case-no", &case_no, NULL);
  g_assert_cmpstr (case_no, ==, CASE_NO);
  g_assert_cmpstr (ow_case_get_case_no (odd), ==, "garbage");

  /* Defaults. */
  g_assert_null (ow_case_get_query_code (kase));
  g_assert_null (ow_case_get_applicant (kase));
  g_assert_null (ow_case_get_agent (kase));
  g_assert_cmpuint (ow_case_get_items (kase)->len, ==, 0);
  g_assert_cmpuint (ow_case_get_materials (kase)->len, ==, 0);
  g_assert_null (ow_case_get_hall (kase));
  g_assert_cmpuint (ow_case_get_counter (kase), ==, 0);
  g_assert_null (ow_case_get_received_at (kase));
  g_assert_false (g_date_valid (ow_case_get_promised_date (kase)));
  g_assert_cmpint (ow_case_get_delivery (kase), ==, OW_DELIVERY_PICKUP);
  g_assert_false (ow_case_has_tolerated (kase));

  g_assert_cmpstr (ow_case_get_hall (full), ==, "46010001");
  g_assert_cmpuint (ow_case_get_counter (full), ==, 7);
  g_assert_cmpstr (ow_case_get_clerk (full), ==, "clerk");
  g_assert_cmpstr (ow_case_get_document_no (full), ==, "海口政服受〔2026〕1号");
  g_assert_cmpstr (ow_case_get_refusal_reason (full), ==, "不属于本机关职权范围");
  g_assert_cmpstr (ow_case_get_competent_organ (full), ==, "海口市卫生健康委员会");
  g_assert_cmpstr (ow_case_get_post_recipient (full), ==, "王五");
  g_assert_cmpstr (ow_case_get_post_phone (full), ==, "+86 139 0000 1111");
  g_assert_cmpstr (ow_case_get_post_address (full), ==, "海口市美兰区某路 2 号");
  g_assert_cmpint (g_date_time_get_utc_offset (ow_case_get_received_at (full)), ==, 0);
  g_assert_true (ow_case_has_tolerated (full));
  g_assert_true (ow_case_find_material (full, "m3") ==
                 g_ptr_array_index (ow_case_get_materials (full), 2));
  g_assert_null (ow_case_find_material (full, "m9"));

  /* Only the material with nothing at all is missing; the tolerated one is not. */
  missing = ow_case_dup_missing_materials (full);
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (((OwCaseMaterial *) g_ptr_array_index (missing, 0))->material_id, ==, "m5");
  g_assert_true (g_ptr_array_index (missing, 0) != ow_case_find_material (full, "m5"));

  /* A local time is stored in UTC. */
  {
    g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
    g_autoptr(GDateTime) local = g_date_time_new (beijing, 2026, 11, 25, 14, 30, 0);

    ow_case_set_received_at (kase, local);
    g_assert_cmpint (g_date_time_get_hour (ow_case_get_received_at (kase)), ==, 6);
    ow_case_set_received_at (kase, NULL);
    g_assert_null (ow_case_get_received_at (kase));
  }

  /* The case keeps copies of the applicant it is given. */
  {
    g_autoptr(OwApplicant) person = make_person ("赵六", "11010519491231002X");

    ow_case_set_applicant (kase, person);
    g_assert_true (ow_case_get_applicant (kase) != person);
    g_assert_true (ow_applicant_equal (ow_case_get_applicant (kase), person));
    ow_case_set_applicant (kase, ow_case_get_applicant (kase));
    g_assert_true (ow_applicant_equal (ow_case_get_applicant (kase), person));
    ow_case_set_agent (kase, NULL);
    g_assert_null (ow_case_get_agent (kase));
  }
}

static void
test_material_copy (void)
{
  g_autoptr(OwCaseMaterial) material = ow_case_material_new ("m1", "营业执照");
  g_autoptr(OwCaseMaterial) copy = NULL;
  g_autoptr(OwCaseItem) item = ow_case_item_new ("A", "000117009", "食品经营许可", "市监局");
  g_autoptr(OwCaseItem) item_copy = g_boxed_copy (OW_TYPE_CASE_ITEM, item);

  g_assert_cmpint (material->status, ==, OW_MATERIAL_STATUS_MISSING);
  g_assert_false (g_date_valid (&material->due_date));
  g_assert_nonnull (material->files);

  material->status = OW_MATERIAL_STATUS_TOLERATED;
  material->due_date = make_date (2026, 12, 1);
  material->licence_no = g_strdup ("L");
  material->note = g_strdup ("N");
  g_ptr_array_add (material->files, g_strdup (SHA_A));
  copy = g_boxed_copy (OW_TYPE_CASE_MATERIAL, material);

  g_assert_cmpstr (copy->material_id, ==, "m1");
  g_assert_cmpint (copy->status, ==, OW_MATERIAL_STATUS_TOLERATED);
  g_assert_cmpint (g_date_compare (&copy->due_date, &material->due_date), ==, 0);
  g_assert_cmpstr (copy->licence_no, ==, "L");
  g_assert_cmpstr (copy->note, ==, "N");
  g_assert_cmpuint (copy->files->len, ==, 1);
  g_assert_true (copy->files != material->files);
  g_assert_cmpstr (g_ptr_array_index (copy->files, 0), ==, SHA_A);

  g_assert_cmpstr (item_copy->item_id, ==, "A");
  g_assert_cmpstr (item_copy->basic_code, ==, "000117009");
  g_assert_cmpstr (item_copy->name, ==, "食品经营许可");
  g_assert_cmpstr (item_copy->department, ==, "市监局");
}

static void
assert_invalid (OwCase     *kase,
                const char *expected_field,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  GDate today = make_date (2026, 11, 25);

  g_assert_false (ow_case_validate (kase, &today, &field, &error));
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_INVALID);
  g_assert_cmpstr (field, ==, expected_field);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);
}

static void
assert_valid (OwCase *kase)
{
  g_autoptr(GError) error = NULL;
  char *field = (char *) "untouched";
  GDate today = make_date (2026, 11, 25);

  if (!ow_case_validate (kase, &today, &field, &error))
    g_error ("the case should be valid: %s (%s)", error->message, field);
  g_assert_null (field);
}

static void
test_validate (void)
{
  g_autoptr(OwCase) kase = make_case ();
  GDate date;

  assert_valid (kase);
  g_assert_true (ow_case_validate (kase, NULL, NULL, NULL));

  /* The case number. */
  {
    g_autoptr(OwCase) typo = ow_case_new ("4601000107202611250001Y");

    assert_invalid (typo, "case_no", "probably mistyped");
  }
  /* Consistency of origin and number. */
  ow_case_set_origin (kase, "46010002", 7, "clerk");
  assert_invalid (kase, "hall", "another hall");
  ow_case_set_origin (kase, "46010001", 8, "clerk");
  assert_invalid (kase, "counter", "another counter");
  ow_case_set_origin (kase, NULL, 0, NULL);
  assert_valid (kase);
  ow_case_set_origin (kase, "46010001", 7, "clerk");

  ow_case_set_query_code (kase, "k7q2mx");
  assert_invalid (kase, "query_code", "6 digits or capital letters");
  ow_case_set_query_code (kase, "K7Q2M");
  assert_invalid (kase, "query_code", "6 digits");
  ow_case_set_query_code (kase, "K7Q2MX");

  /* The applicant and the agent, named by their fields. */
  {
    g_autoptr(OwApplicant) applicant = ow_applicant_copy (ow_case_get_applicant (kase));
    g_autoptr(OwApplicant) agent = ow_applicant_copy (ow_case_get_agent (kase));
    g_autoptr(OwApplicant) broken = ow_applicant_copy (applicant);
    g_autoptr(OwApplicant) organisation_agent = ow_applicant_copy (applicant);

    g_free (broken->id_number);
    broken->id_number = g_strdup ("91350100M000100Y44");
    ow_case_set_applicant (kase, broken);
    assert_invalid (kase, "applicant.id_number", "should be 3, not 4");
    ow_case_set_applicant (kase, NULL);
    assert_invalid (kase, "applicant", "applicant");
    ow_case_set_applicant (kase, applicant);

    g_free (agent->phone);
    agent->phone = g_strdup ("1234");
    ow_case_set_agent (kase, agent);
    assert_invalid (kase, "agent.phone", "11 digits");
    ow_case_set_agent (kase, organisation_agent);
    assert_invalid (kase, "agent.kind", "resident ID");
    ow_case_set_agent (kase, NULL);
    assert_valid (kase);
  }

  /* A born-tomorrow applicant: today is passed through to the ID check. */
  {
    g_autoptr(OwApplicant) baby = make_person ("婴儿", "46010020261126001X");

    ow_case_set_agent (kase, baby);
    assert_invalid (kase, "agent.id_number", "in the future");
    ow_case_set_agent (kase, NULL);
  }

  /* The promised date cannot precede the day the case was made. */
  date = make_date (2026, 11, 24);
  ow_case_set_promised_date (kase, &date);
  assert_invalid (kase, "promised_date", "before");
  date = make_date (2026, 12, 9);
  ow_case_set_promised_date (kase, &date);

  /* Materials. */
  {
    OwCaseMaterial *scanned = ow_case_find_material (kase, "m1");
    OwCaseMaterial *licence = ow_case_find_material (kase, "m2");
    OwCaseMaterial *tolerated = ow_case_find_material (kase, "m3");
    char *kept;

    g_ptr_array_add (scanned->files, g_strdup ("not-a-hash"));
    assert_invalid (kase, "materials[0].files", "SHA-256");
    g_ptr_array_set_size (scanned->files, 2);
    g_ptr_array_set_size (scanned->files, 0);
    assert_invalid (kase, "materials[0].files", "no scanned pages");
    g_ptr_array_add (scanned->files, g_strdup (SHA_A));
    g_ptr_array_add (scanned->files, g_ascii_strup (SHA_B, -1));
    assert_invalid (kase, "materials[0].files", "SHA-256");
    g_ptr_array_remove_index (scanned->files, 1);
    assert_valid (kase);

    kept = g_steal_pointer (&licence->licence_no);
    assert_invalid (kase, "materials[1].licence_no", "electronic licence");
    licence->licence_no = kept;

    /* Tolerated: a due date, no later than the promised date. */
    tolerated->due_date = make_date (2026, 12, 10);
    assert_invalid (kase, "materials[2].due_date", "after the promised completion date");
    tolerated->due_date = make_date (2026, 12, 9);
    assert_valid (kase);
    g_date_clear (&tolerated->due_date, 1);
    assert_invalid (kase, "materials[2].due_date", "by when");
    tolerated->due_date = make_date (2026, 12, 2);

    kept = g_steal_pointer (&tolerated->material_id);
    tolerated->material_id = g_strdup ("m1");
    assert_invalid (kase, "materials[2].material_id", "twice");
    g_free (tolerated->material_id);
    tolerated->material_id = g_strdup (" ");
    assert_invalid (kase, "materials[2].material_id", "no id");
    g_free (tolerated->material_id);
    tolerated->material_id = kept;

    kept = g_steal_pointer (&tolerated->name);
    assert_invalid (kase, "materials[2].name", "no name");
    tolerated->name = kept;

    tolerated->status = 9;
    assert_invalid (kase, "materials[2].status", "unknown status");
    tolerated->status = OW_MATERIAL_STATUS_TOLERATED;
    assert_valid (kase);
  }

  /* Delivery by post needs a recipient, a mobile and an address. */
  ow_case_set_delivery (kase, OW_DELIVERY_POST, NULL, "13800138000", "海口");
  assert_invalid (kase, "delivery.recipient", "receives");
  ow_case_set_delivery (kase, OW_DELIVERY_POST, "王五", "0898-6666888", "海口");
  assert_invalid (kase, "delivery.phone", "13 to 19");
  ow_case_set_delivery (kase, OW_DELIVERY_POST, "王五", "13800138000", "");
  assert_invalid (kase, "delivery.address", "address");
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  assert_valid (kase);

  /* A refusal states its reason. */
  ow_case_set_state (kase, OW_CASE_STATE_REFUSED);
  ow_case_set_refusal (kase, NULL, "海口市卫生健康委员会");
  assert_invalid (kase, "refusal.reason", "reason");
  ow_case_set_refusal (kase, "不属于本机关职权范围", NULL);
  assert_valid (kase);

  /* Items: at least one, each once, each with its code. */
  {
    OwCaseItem *second = g_ptr_array_index (ow_case_get_items (kase), 1);
    char *kept = g_steal_pointer (&second->item_id);

    second->item_id = g_strdup ("11460100MB1234567X4000117009000");
    assert_invalid (kase, "items[1].item_id", "twice");
    g_free (second->item_id);
    second->item_id = NULL;
    assert_invalid (kase, "items[1].item_id", "no code");
    second->item_id = kept;
    g_ptr_array_set_size (ow_case_get_items (kase), 0);
    assert_invalid (kase, "items", "at least one");
  }
}

static void
assert_cases_equal (OwCase *a,
                    OwCase *b)
{
  GPtrArray *items_a = ow_case_get_items (a), *items_b = ow_case_get_items (b);
  GPtrArray *materials_a = ow_case_get_materials (a), *materials_b = ow_case_get_materials (b);
  GDateTime *received_a = ow_case_get_received_at (a), *received_b = ow_case_get_received_at (b);

  g_assert_cmpstr (ow_case_get_case_no (a), ==, ow_case_get_case_no (b));
  g_assert_cmpstr (ow_case_get_query_code (a), ==, ow_case_get_query_code (b));
  g_assert_cmpint (ow_case_get_state (a), ==, ow_case_get_state (b));
  g_assert_cmpstr (ow_case_get_hall (a), ==, ow_case_get_hall (b));
  g_assert_cmpuint (ow_case_get_counter (a), ==, ow_case_get_counter (b));
  g_assert_cmpstr (ow_case_get_clerk (a), ==, ow_case_get_clerk (b));
  g_assert_true ((received_a == NULL) == (received_b == NULL));
  if (received_a != NULL)
    {
      g_assert_true (g_date_time_equal (received_a, received_b));
      g_assert_cmpint (g_date_time_get_microsecond (received_a), ==,
                       g_date_time_get_microsecond (received_b));
    }
  g_assert_cmpint (g_date_valid (ow_case_get_promised_date (a)), ==,
                   g_date_valid (ow_case_get_promised_date (b)));
  if (g_date_valid (ow_case_get_promised_date (a)))
    g_assert_cmpint (g_date_compare (ow_case_get_promised_date (a),
                                     ow_case_get_promised_date (b)), ==, 0);
  g_assert_cmpstr (ow_case_get_document_no (a), ==, ow_case_get_document_no (b));
  g_assert_true (ow_applicant_equal (ow_case_get_applicant (a), ow_case_get_applicant (b)));
  g_assert_true (ow_applicant_equal (ow_case_get_agent (a), ow_case_get_agent (b)));

  g_assert_cmpuint (items_a->len, ==, items_b->len);
  for (guint i = 0; i < items_a->len; i++)
    {
      OwCaseItem *x = g_ptr_array_index (items_a, i), *y = g_ptr_array_index (items_b, i);

      g_assert_cmpstr (x->item_id, ==, y->item_id);
      g_assert_cmpstr (x->basic_code, ==, y->basic_code);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->department, ==, y->department);
    }

  g_assert_cmpuint (materials_a->len, ==, materials_b->len);
  for (guint i = 0; i < materials_a->len; i++)
    {
      OwCaseMaterial *x = g_ptr_array_index (materials_a, i);
      OwCaseMaterial *y = g_ptr_array_index (materials_b, i);

      g_assert_cmpstr (x->material_id, ==, y->material_id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->status, ==, y->status);
      g_assert_cmpuint (x->originals, ==, y->originals);
      g_assert_cmpuint (x->copies, ==, y->copies);
      g_assert_cmpstr (x->licence_no, ==, y->licence_no);
      g_assert_cmpint (g_date_valid (&x->due_date), ==, g_date_valid (&y->due_date));
      if (g_date_valid (&x->due_date))
        g_assert_cmpint (g_date_compare (&x->due_date, &y->due_date), ==, 0);
      g_assert_cmpstr (x->note, ==, y->note);
      g_assert_cmpuint (x->files->len, ==, y->files->len);
      for (guint j = 0; j < x->files->len; j++)
        g_assert_cmpstr (g_ptr_array_index (x->files, j), ==, g_ptr_array_index (y->files, j));
    }

  g_assert_cmpstr (ow_case_get_refusal_reason (a), ==, ow_case_get_refusal_reason (b));
  g_assert_cmpstr (ow_case_get_competent_organ (a), ==, ow_case_get_competent_organ (b));
  g_assert_cmpint (ow_case_get_delivery (a), ==, ow_case_get_delivery (b));
  g_assert_cmpstr (ow_case_get_post_recipient (a), ==, ow_case_get_post_recipient (b));
  g_assert_cmpstr (ow_case_get_post_phone (a), ==, ow_case_get_post_phone (b));
  g_assert_cmpstr (ow_case_get_post_address (a), ==, ow_case_get_post_address (b));
}

static void
round_trip (OwCase *kase)
{
  g_autoptr(GVariant) variant = ow_case_serialize (kase);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) back = NULL;
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) from_disk = NULL;
  g_autoptr(OwCase) from_disk_case = NULL;

  g_assert_nonnull (variant);
  g_assert_false (g_variant_is_floating (variant));

  back = ow_case_deserialize (variant, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_cases_equal (kase, back);
  again = ow_case_serialize (back);
  g_assert_true (g_variant_equal (variant, again));

  /* As the store keeps it: bytes on disk, read back untrusted. */
  bytes = g_variant_get_data_as_bytes (variant);
  from_disk = g_variant_ref_sink (g_variant_new_from_bytes (g_variant_get_type (variant), bytes,
                                                            FALSE));
  from_disk_case = ow_case_deserialize (from_disk, &error);
  g_assert_no_error (error);
  assert_cases_equal (kase, from_disk_case);
}

static void
test_serialize (void)
{
  g_autoptr(OwCase) full = make_case ();
  g_autoptr(OwCase) bare = ow_case_new (CASE_NO);
  g_autoptr(OwCase) odd = ow_case_new ("not a case number");

  round_trip (full);
  round_trip (bare);
  round_trip (odd);

  /* Every state survives. */
  for (int state = 1; state <= N_STATES; state++)
    {
      ow_case_set_state (full, state);
      round_trip (full);
    }
}

static void
assert_deserialize_fails (GVariant   *variant,
                          const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GVariant) owned = g_variant_ref_sink (variant);

  kase = ow_case_deserialize (owned, &error);
  g_assert_null (kase);
  g_assert_error (error, OW_CORE_ERROR, OW_CORE_ERROR_PARSE);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);
}

/* Rebuilds @variant with child @index of the path replaced by @value. */
static GVariant *
replace_child (GVariant *variant,
               gsize     index,
               GVariant *value)
{
  gsize n = g_variant_n_children (variant);
  g_autofree GVariant **children = g_new (GVariant *, n);
  GVariant *result;

  for (gsize i = 0; i < n; i++)
    children[i] = i == index ? value : g_variant_get_child_value (variant, i);
  result = g_variant_new_tuple (children, n);
  for (gsize i = 0; i < n; i++)
    if (i != index)
      g_variant_unref (children[i]);
  return result;
}

static void
test_deserialize_errors (void)
{
  g_autoptr(OwCase) full = make_case ();
  g_autoptr(GVariant) variant = ow_case_serialize (full);

  assert_deserialize_fails (g_variant_new_string ("case"), "type");
  assert_deserialize_fails (g_variant_new ("(su)", CASE_NO, 1), "type");

  /* Enums out of range: state (child 2), delivery (child 15), an applicant's kind, a
   * material's status, dates that GDate cannot hold. */
  assert_deserialize_fails (replace_child (variant, 2, g_variant_new_uint32 (0)), "state");
  assert_deserialize_fails (replace_child (variant, 2, g_variant_new_uint32 (13)), "state");
  assert_deserialize_fails (replace_child (variant, 15, g_variant_new_uint32 (3)), "delivery");
  assert_deserialize_fails (replace_child (variant, 9,
                                           g_variant_new_maybe (NULL,
                                                                g_variant_new ("(umsmsmsmsms)", 3,
                                                                               NULL, NULL, NULL,
                                                                               NULL, NULL))),
                            "applicant");
  assert_deserialize_fails (replace_child (variant, 7, g_variant_new_uint32 (G_MAXUINT32)),
                            "promised date");
  {
    GVariantBuilder materials;

    g_variant_builder_init (&materials, G_VARIANT_TYPE ("a(msmsuuumsumsas)"));
    g_variant_builder_add (&materials, "(msmsuuumsumsas)", "m1", "x", 6, 0, 0, NULL, 0, NULL,
                           NULL);
    assert_deserialize_fails (replace_child (variant, 12, g_variant_builder_end (&materials)),
                              "status");
    g_variant_builder_init (&materials, G_VARIANT_TYPE ("a(msmsuuumsumsas)"));
    g_variant_builder_add (&materials, "(msmsuuumsumsas)", "m1", "x", 5, 0, 0, NULL,
                           G_MAXUINT32, NULL, NULL);
    assert_deserialize_fails (replace_child (variant, 12, g_variant_builder_end (&materials)),
                              "due date");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case/state-machine", test_state_machine);
  g_test_add_func ("/case/state-properties", test_state_properties);
  g_test_add_func ("/case/strings", test_strings);
  g_test_add_func ("/case/apply-event", test_apply_event);
  g_test_add_func ("/case/accessors", test_accessors);
  g_test_add_func ("/case/material-copy", test_material_copy);
  g_test_add_func ("/case/validate", test_validate);
  g_test_add_func ("/case/serialize", test_serialize);
  g_test_add_func ("/case/deserialize-errors", test_deserialize_errors);

  return g_test_run ();
}
