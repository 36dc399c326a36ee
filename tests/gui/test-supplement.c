/* test-supplement.c — a case back with its supplements (补正), against the real platform and a
 * real IPP printer, in a real window under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The case waits for supplements since a notice of two weeks ago, as the clerk's counter saved
 * and sent it. The applicant comes back with the notice; its QR code goes into the intake
 * page's search field. The test checks what the dialog refuses and says, then what accepting
 * leaves behind: the case accepted in the local store with the promised date counted from
 * today, exactly two events waiting in the outbox (the arrived lines on the first, the new
 * promised date and the notice's number on the second), the 受理通知书 in the printer's spool,
 * and, once the platform is back, the case accepted there with those two events; and after the
 * changes feed has brought the platform's copy back, the same date and lines on both sides.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "documents/ow-document.h"
#include "gui/intake/ow-intake-page.h"
#include "gui/printing/ow-print-jobs.h"
#include "gui/scanning/ow-scan-dialog.h"
#include "gui/intake/ow-supplement-dialog.h"
#include "gui/shell/ow-window.h"
#include "net/ow-json.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"
#include "ow-test-platform.h"

#define ITEM_NAME "有限责任公司设立登记"

/* ---------------------------------------------------------------------------------------- */
/* The case as the counter saved it two weeks ago */

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  if (!ow_sync_submit_case_finish (OW_SYNC (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (G_OBJECT (source), "test-submitted", GINT_TO_POINTER (TRUE));
}

static gboolean
submitted (gpointer data)
{
  return g_object_get_data (data, "test-submitted") != NULL;
}

/* Saves and sends a case that waits for supplements since @day: two required materials with
 * what is wrong with them, an optional one not handed in, the rest received. Returns it. */
static OwCase *
save_supplement_case (OwTestCounter *f,
                      const GDate   *day)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) received = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *query_code = ow_query_code_new ();
  g_autofree char *document_no = NULL;
  g_autofree char *field = NULL;
  const OwUser *user = ow_context_get_user (f->context);
  OwStore *store = ow_context_get_store (f->context);
  OwSync *sync = ow_context_get_sync (f->context);
  OwItem *item = ow_test_counter_load_item_named (f, ITEM_NAME);
  GListModel *materials = ow_item_get_materials (item);
  GDate promised;
  guint sequence;

  sequence = ow_store_next_sequence (store, user->hall, user->counter, day, &error);
  g_assert_no_error (error);
  case_no = ow_case_number_make (user->hall, user->counter, day, sequence, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_query_code (kase, query_code);
  ow_case_set_origin (kase, user->hall, user->counter, user->username);
  {
    g_autoptr(GDateTime) local = g_date_time_new (ow_hall_time_zone (), g_date_get_year (day),
                                                  g_date_get_month (day), g_date_get_day (day),
                                                  10, 0, 0);
    received = g_date_time_to_utc (local);
  }
  ow_case_set_received_at (kase, received);
  ow_calendar_add_working_days (ow_context_get_calendar (f->context), day,
                                ow_item_get_promised_limit (item), &promised, NULL);
  ow_case_set_promised_date (kase, &promised);
  document_no = ow_document_number ("海口政服", OW_DOCUMENT_SUPPLEMENT, g_date_get_year (day),
                                    user->counter * 10000 + sequence);
  ow_case_set_document_no (kase, document_no);

  applicant->name = g_strdup ("张三");
  applicant->id_number = g_strdup ("11010519491231002X");
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item), ow_item_get_basic_code (item),
                                            ow_item_get_name (item),
                                            ow_item_get_department (item)));

  for (guint i = 0; i < g_list_model_get_n_items (materials); i++)
    {
      g_autoptr(OwMaterial) wanted = g_list_model_get_item (materials, i);
      const char *id = ow_material_get_id (wanted);
      OwCaseMaterial *line = ow_case_material_new (id, ow_material_get_name (wanted));

      if (g_str_equal (id, "m2"))
        line->note = g_strdup ("缺少全体股东签字");
      else if (g_str_equal (id, "m5"))
        line->note = g_strdup ("未加盖公章");
      else if (!ow_material_get_required (wanted) && ow_material_get_shared_exempt (wanted))
        line->status = OW_MATERIAL_STATUS_SHARED;
      else if (ow_material_get_required (wanted))
        {
          line->status = OW_MATERIAL_STATUS_PAPER;
          line->originals = ow_material_get_originals (wanted);
          line->copies = ow_material_get_copies (wanted);
        }
      /* else: optional and not handed in (授权委托书: nobody came for the applicant) */
      ow_case_add_material (kase, line);
    }

  g_assert_true (ow_case_apply_event (kase, OW_CASE_EVENT_SUPPLEMENT_REQUESTED, &error));
  g_assert_no_error (error);
  {
    GDate today;

    ow_hall_today (&today);
    g_assert_true (ow_case_validate (kase, &today, &field, &error));
    g_assert_no_error (error);
  }

  g_object_set_data (G_OBJECT (sync), "test-submitted", NULL);
  ow_sync_submit_case_async (sync, kase, user->username, NULL, submitted_cb, &error);
  ow_test_gui_wait_until (submitted, sync, "the supplement case to be saved");
  g_assert_no_error (error);
  return g_steal_pointer (&kase);
}

/* ---------------------------------------------------------------------------------------- */
/* The dialog's controls, found as a screen reader user would */

typedef struct
{
  GtkWidget *root;
  const char *text;
} LabelWait;

static gboolean
shows_label_with (gpointer data)
{
  LabelWait *wait = data;
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (wait->root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_drawable (label)
          && strstr (gtk_label_get_text (GTK_LABEL (label)), wait->text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
wait_for_label (GtkWidget  *root,
                const char *text)
{
  LabelWait wait = { root, text };
  g_autofree char *what = g_strdup_printf ("“%s” in the dialog", text);

  ow_test_gui_wait_until (shows_label_with, &wait, what);
}

static AdwActionRow *
find_action_row (gpointer    root,
                 const char *title)
{
  g_autoptr(GPtrArray) rows = ow_test_gui_find_all (root, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("No row “%s”", title);
  return NULL;
}

static const char *
row_subtitle (gpointer    root,
              const char *title)
{
  return adw_action_row_get_subtitle (find_action_row (root, title));
}

static const char *
case_number_text (gpointer root)
{
  return gtk_editable_get_text (GTK_EDITABLE (ow_test_gui_find_labelled (root, "Case number")));
}

/* The "Arrived" check box of the line of @material. */
static GtkCheckButton *
find_arrived (gpointer    root,
              const char *material)
{
  AdwActionRow *row = find_action_row (root, material);
  GtkCheckButton *check = ow_test_gui_find_first (row, GTK_TYPE_CHECK_BUTTON);

  g_assert_cmpstr (gtk_check_button_get_label (check), ==, "Arrived");
  return check;
}

static OwSupplementDialog *
open_dialog (OwTestCounter *f)
{
  OwSupplementDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.returning-case", NULL);
  ow_test_gui_settle (100);
  dialog = OW_SUPPLEMENT_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_SUPPLEMENT_DIALOG));
  g_assert_nonnull (dialog);
  return dialog;
}

static gboolean
no_dialog (gpointer data)
{
  return ow_test_gui_find_toplevel (OW_TYPE_SUPPLEMENT_DIALOG) == NULL;
}

static void
close_dialog (OwSupplementDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  ow_test_gui_wait_until (no_dialog, NULL, "the dialog to close");
}

static void
find_case (OwSupplementDialog *dialog,
           const char         *text)
{
  ow_test_gui_type_text (ow_test_gui_find_labelled (dialog, "Case number"), text);
  g_signal_emit_by_name (ow_test_gui_find_button (dialog, "Find"), "clicked");
}

static gboolean
dialog_shows_lines (gpointer data)
{
  g_autoptr(GPtrArray) checks = ow_test_gui_find_all (data, GTK_TYPE_CHECK_BUTTON);

  return checks->len > 0 && gtk_widget_is_drawable (g_ptr_array_index (checks, 0));
}

static char *
format_day (const GDate *date,
            const char  *format)
{
  char text[64];

  g_date_strftime (text, sizeof text, format, date);
  return g_strdup (text);
}

/* The changes feed saved the case (named in @data) on the counter since the flag was cleared. */
static void
changes_applied_cb (OwSync             *sync,
                    const char * const *case_nos,
                    gpointer            user_data)
{
  if (g_strv_contains (case_nos, user_data))
    g_object_set_data (G_OBJECT (sync), "test-feed-applied", GINT_TO_POINTER (TRUE));
}

static gboolean
feed_applied (gpointer data)
{
  return g_object_get_data (data, "test-feed-applied") != NULL;
}

static JsonObject *
find_line (JsonObject *kase,
           const char *material_id)
{
  JsonArray *materials = json_object_get_array_member (kase, "materials");

  for (guint i = 0; i < json_array_get_length (materials); i++)
    {
      JsonObject *line = json_array_get_object_element (materials, i);

      if (g_strcmp0 (json_object_get_string_member (line, "material_id"), material_id) == 0)
        return line;
    }
  g_error ("No line %s", material_id);
  return NULL;
}

/* Saves a case waiting for supplements since two weeks ago, lets it reach the platform and
 * opens it in the dialog, the platform still there. */
static OwSupplementDialog *
open_waiting_case (OwTestCounter *f,
                   OwCase       **waiting)
{
  OwSupplementDialog *dialog;
  GDate notice_day;

  ow_hall_today (&notice_day);
  g_date_subtract_days (&notice_day, 14);
  *waiting = save_supplement_case (f, &notice_day);
  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (f->context),
                          "the supplement case to reach the platform");
  dialog = open_dialog (f);
  find_case (dialog, ow_case_get_case_no (*waiting));
  ow_test_gui_wait_until (dialog_shows_lines, dialog, "the lines of the supplement notice");
  return dialog;
}

static gboolean
scan_dialog_idle (gpointer data)
{
  return !ow_scan_dialog_get_busy (data);
}

static gboolean
no_scan_dialog (gpointer data)
{
  return ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG) == NULL;
}

static gboolean
button_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_returning_case (void)
{
  OwTestCounter f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) waiting = NULL;
  g_autoptr(OwCase) stored = NULL;
  g_autoptr(OwCase) synced = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *case_path = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *new_due = NULL;
  g_autofree char *new_due_printed = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  OwSupplementDialog *dialog;
  GtkWidget *accept, *search;
  GtkCheckButton *statute, *address, *proxy;
  const char *case_no;
  GDate today, notice_day, old_promised, new_promised;
  guint events = 0;
  gulong applied_handler;

  ow_test_counter_start (&f, OW_TEST_COUNTER_PRINTER | OW_TEST_COUNTER_SCANNER, NULL);
  g_assert_nonnull (f.printer);
  ow_test_counter_log_in (&f, "clerk");

  /* The notice went out two weeks ago; the clock stood still since. National Day's week is the
   * longest holiday: two weeks always hold working days, so the dates must differ. */
  ow_hall_today (&today);
  notice_day = today;
  g_date_subtract_days (&notice_day, 14);
  waiting = save_supplement_case (&f, &notice_day);
  case_no = ow_case_get_case_no (waiting);
  formatted = ow_case_number_format (case_no);
  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (f.context),
                          "the supplement case to reach the platform");
  case_path = g_strdup_printf ("/api/v1/cases/%s", case_no);
  events_path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  response = ow_test_counter_get (&f, "clerk", case_path);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "supplement-requested");
  g_clear_pointer (&response, ow_test_response_free);

  old_promised = *ow_case_get_promised_date (waiting);
  ow_calendar_add_working_days (ow_context_get_calendar (f.context), &today, 1, &new_promised,
                                NULL);
  g_assert_cmpint (g_date_compare (&old_promised, &new_promised), <, 0);
  new_due = format_day (&new_promised, "%Y-%m-%d");
  new_due_printed = g_strdup_printf ("%u年%u月%u日", g_date_get_year (&new_promised),
                                     g_date_get_month (&new_promised),
                                     g_date_get_day (&new_promised));

  /* Ctrl+R's action opens the dialog with nothing in it; a wrong number and an unknown one
   * each say so. */
  dialog = open_dialog (&f);
  g_assert_cmpstr (case_number_text (dialog), ==, "");
  accept = ow_test_gui_find_button (dialog, "Accept and Print Notice");
  g_assert_false (gtk_widget_is_sensitive (accept));
  find_case (dialog, "46010001-07-2026");
  wait_for_label (GTK_WIDGET (dialog), "is not a case number");
  g_assert_false (gtk_widget_is_sensitive (accept));
  unknown = ow_case_number_make (ow_context_get_user (f.context)->hall,
                                 ow_context_get_user (f.context)->counter, &today, 9998, &error);
  g_assert_no_error (error);
  find_case (dialog, unknown);
  wait_for_label (GTK_WIDGET (dialog), "is not known on this counter or on the platform");
  g_assert_false (gtk_widget_is_sensitive (accept));
  close_dialog (dialog);

  /* The platform goes away: the counter goes on all the same. */
  ow_test_platform_stop (f.platform);

  /* The applicant is back: the notice's QR code goes into the intake page's search. */
  search = ow_test_gui_find_first (ow_test_gui_find_first (f.window, OW_TYPE_INTAKE_PAGE),
                                   GTK_TYPE_SEARCH_ENTRY);
  payload = ow_case_qr_payload (case_no, ow_case_get_query_code (waiting));
  ow_test_gui_type_text (search, payload);
  g_signal_emit_by_name (search, "activate");
  ow_test_gui_settle (100);
  dialog = OW_SUPPLEMENT_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_SUPPLEMENT_DIALOG));
  g_assert_nonnull (dialog);
  ow_test_gui_wait_until (dialog_shows_lines, dialog, "the lines of the supplement notice");
  g_assert_cmpstr (case_number_text (dialog), ==, formatted);
  g_assert_nonnull (strstr (row_subtitle (dialog, "Promised completion if accepted today"),
                            new_due));
  {
    g_autofree char *issued = format_day (&notice_day, "%Y-%m-%d");
    g_assert_nonnull (strstr (row_subtitle (dialog, "Supplement notice issued"), issued));
  }

  /* Only what the notice asked for is listed: the shared material is not. */
  statute = find_arrived (dialog, "公司章程");
  address = find_arrived (dialog, "住所（经营场所）申报承诺书");
  proxy = find_arrived (dialog, "授权委托书");
  {
    g_autoptr(GPtrArray) checks = ow_test_gui_find_all (dialog, GTK_TYPE_CHECK_BUTTON);
    g_assert_cmpuint (checks->len, ==, 3);
  }
  g_assert_nonnull (strstr (row_subtitle (dialog, "公司章程"), "缺少全体股东签字"));

  /* Nothing ticked: the button cannot be pressed and says why. */
  accept = ow_test_gui_find_button (dialog, "Accept and Print Notice");
  g_assert_false (gtk_widget_is_sensitive (accept));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (accept),
                            "2 required materials have not arrived yet"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (accept), "公司章程"));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (statute)));
  g_assert_true (gtk_check_button_get_active (statute));
  ow_test_gui_settle (20);
  g_assert_false (gtk_widget_is_sensitive (accept));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (accept),
                            "1 required material has not arrived yet"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (accept), "住所（经营场所）申报承诺书"));
  /* The optional line need not come. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (address)));
  ow_test_gui_settle (20);
  g_assert_false (gtk_check_button_get_active (proxy));
  g_assert_true (gtk_widget_is_sensitive (accept));
  {
    g_autofree char *ready = g_strdup_printf ("Ready. Promised completion: %s", new_due);
    wait_for_label (GTK_WIDGET (dialog), ready);
  }
  {
    g_autofree char *shot = ow_test_gui_screenshot_path ("supplement-dialog.png");
    ow_test_gui_settle (100);
    ow_test_gui_save_screenshot (GTK_WIDGET (dialog), shot);
  }

  g_signal_emit_by_name (accept, "clicked");
  ow_test_gui_wait_until (no_dialog, NULL, "the dialog to close after accepting");
  {
    const char *wanted[] = { formatted, "accepted with its supplements" };
    ow_test_gui_wait_until (ow_test_gui_toast_with_text, wanted,
                            "the toast saying the case was accepted");
  }

  /* Kept here: accepted, the promised date counted from today, the lines that came on paper,
   * the acceptance notice's own number. */
  stored = ow_store_load_case (ow_context_get_store (f.context), case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (stored), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpint (g_date_compare (ow_case_get_promised_date (stored), &new_promised), ==, 0);
  g_assert_cmpint (ow_case_find_material (stored, "m2")->status, ==, OW_MATERIAL_STATUS_PAPER);
  g_assert_null (ow_case_find_material (stored, "m2")->note);
  g_assert_cmpint (ow_case_find_material (stored, "m5")->status, ==, OW_MATERIAL_STATUS_PAPER);
  g_assert_cmpint (ow_case_find_material (stored, "m7")->status, ==, OW_MATERIAL_STATUS_MISSING);
  g_assert_nonnull (strstr (ow_case_get_document_no (stored), "受〔"));

  /* Waiting for the platform: the two steps, each once. */
  outbox = ow_store_list_outbox (ow_context_get_store (f.context), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < outbox->len; i++)
    {
      OwOutboxEntry *entry = g_ptr_array_index (outbox, i);
      g_autoptr(JsonNode) body = NULL;
      const char *kind;

      if (g_strcmp0 (entry->key, case_no) != 0)
        continue;
      g_assert_cmpstr (entry->method, ==, "POST");
      g_assert_cmpstr (entry->path, ==, events_path);
      body = ow_json_parse (g_bytes_get_data (entry->body, NULL), g_bytes_get_size (entry->body),
                            &error);
      g_assert_no_error (error);
      kind = json_object_get_string_member (json_node_get_object (body), "kind");
      g_assert_cmpstr (kind, ==, events == 0 ? "supplement-received" : "accepted");
      if (events == 0)
        {
          /* What arrived, on paper; the optional line that did not come is not listed. */
          JsonArray *lines = json_object_get_array_member (json_node_get_object (body),
                                                           "materials");
          JsonObject *line;

          g_assert_cmpuint (json_array_get_length (lines), ==, 2);
          line = json_array_get_object_element (lines, 0);
          g_assert_cmpstr (json_object_get_string_member (line, "material_id"), ==, "m2");
          g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, "paper");
          line = json_array_get_object_element (lines, 1);
          g_assert_cmpstr (json_object_get_string_member (line, "material_id"), ==, "m5");
          g_assert_false (json_object_has_member (json_node_get_object (body),
                                                  "promised_date"));
        }
      else
        {
          /* The clock starts again: the new promised date and the notice's number. */
          g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body),
                                                          "promised_date"), ==, new_due);
          g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body),
                                                          "document_no"), ==,
                           ow_case_get_document_no (stored));
          g_assert_false (json_object_has_member (json_node_get_object (body), "materials"));
        }
      events++;
    }
  g_assert_cmpuint (events, ==, 2);

  /* The notice at the printer. */
  ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, f.spool, "the notice at the printer");
  pdf = ow_test_gui_find_spooled_pdf (f.spool);
  text = ow_test_gui_pdf_text (pdf);
  g_assert_nonnull (strstr (text, "受理通知书"));
  g_assert_null (strstr (text, "补正材料通知书"));
  g_assert_nonnull (strstr (text, new_due_printed));

  /* Once accepted there is nothing to supplement. */
  dialog = open_dialog (&f);
  find_case (dialog, formatted);
  wait_for_label (GTK_WIDGET (dialog), "is already accepted");
  g_assert_false (gtk_widget_is_sensitive (ow_test_gui_find_button (dialog,
                                                                    "Accept and Print Notice")));
  /* A case of another counter needs the platform, which is away. */
  find_case (dialog, unknown);
  wait_for_label (GTK_WIDGET (dialog), "the platform cannot be reached");
  wait_for_label (GTK_WIDGET (dialog), "try again when the status bar shows online");
  close_dialog (dialog);

  /* The platform is back: the case is accepted there, by the two events, once each. */
  g_object_set_data (G_OBJECT (ow_context_get_sync (f.context)), "test-feed-applied", NULL);
  applied_handler = g_signal_connect (ow_context_get_sync (f.context), "changes-applied",
                                      G_CALLBACK (changes_applied_cb), (gpointer) case_no);
  g_assert_true (ow_test_platform_restart (f.platform, &error));
  g_assert_no_error (error);
  ow_sync_kick (ow_context_get_sync (f.context));
  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (f.context),
                          "the outbox to drain");
  response = ow_test_counter_get (&f, "clerk", case_path);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "accepted");
  /* With the new promised date, the notice's number and the lines that arrived. */
  g_assert_cmpstr (ow_test_response_get_string (response, "promised_date"), ==, new_due);
  g_assert_cmpstr (ow_test_response_get_string (response, "document_no"), ==,
                   ow_case_get_document_no (stored));
  {
    JsonObject *kase = json_node_get_object (response->json);

    g_assert_cmpstr (json_object_get_string_member (find_line (kase, "m2"), "status"), ==,
                     "paper");
    g_assert_true (json_object_get_null_member (find_line (kase, "m2"), "note"));
    g_assert_cmpstr (json_object_get_string_member (find_line (kase, "m5"), "status"), ==,
                     "paper");
    g_assert_cmpstr (json_object_get_string_member (find_line (kase, "m7"), "status"), ==,
                     "missing");
  }
  g_clear_pointer (&response, ow_test_response_free);

  /* The changes feed brings the platform's copy back to the counter: it changes nothing. */
  ow_test_gui_wait_until (feed_applied, ow_context_get_sync (f.context),
                          "the changes feed to bring the case back");
  g_signal_handler_disconnect (ow_context_get_sync (f.context), applied_handler);
  synced = ow_store_load_case (ow_context_get_store (f.context), case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (synced), ==, OW_CASE_STATE_ACCEPTED);
  g_assert_cmpint (g_date_compare (ow_case_get_promised_date (synced), &new_promised), ==, 0);
  g_assert_cmpstr (ow_case_get_document_no (synced), ==, ow_case_get_document_no (stored));
  g_assert_cmpint (ow_case_find_material (synced, "m2")->status, ==, OW_MATERIAL_STATUS_PAPER);
  g_assert_null (ow_case_find_material (synced, "m2")->note);
  g_assert_cmpint (ow_case_find_material (synced, "m5")->status, ==, OW_MATERIAL_STATUS_PAPER);
  g_assert_cmpint (ow_case_find_material (synced, "m7")->status, ==, OW_MATERIAL_STATUS_MISSING);
  response = ow_test_counter_get (&f, "clerk", events_path);
  {
    JsonArray *list = json_object_get_array_member (json_node_get_object (response->json),
                                                    "events");
    JsonObject *accepted;

    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                    "kind"), ==, "supplement-received");
    accepted = json_array_get_object_element (list, 1);
    g_assert_cmpstr (json_object_get_string_member (accepted, "kind"), ==, "accepted");
    g_assert_cmpstr (json_object_get_string_member (accepted, "promised_date"), ==, new_due);
    /* And said in words for the timeline's readers. */
    g_assert_nonnull (strstr (json_object_get_string_member (accepted, "note"), new_due));
  }

  ow_test_counter_stop (&f);
}

/* A supplement scanned at the counter: the line's Scan opens the intake page's pages dialog;
 * once the pages are stored the line is ticked and goes out as scanned with its file, which
 * reaches the platform before the event that names it. */
static void
test_scanned (void)
{
  OwTestCounter f = { 0 };
  g_autoptr(OwCase) waiting = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  g_autoptr(OwTestResponse) file = NULL;
  g_autofree char *case_path = NULL;
  g_autofree char *file_path = NULL;
  g_autofree char *local_path = NULL;
  g_autofree char *local = NULL;
  g_autofree char *sha256 = NULL;
  gsize local_size = 0;
  OwSupplementDialog *dialog;
  OwScanDialog *pages;
  AdwActionRow *row;
  GtkWidget *accept, *scan;
  GtkCheckButton *statute, *address;
  JsonObject *line;
  JsonArray *files;

  ow_test_counter_start (&f, OW_TEST_COUNTER_PRINTER | OW_TEST_COUNTER_SCANNER, NULL);
  g_assert_nonnull (f.printer);
  ow_test_counter_log_in (&f, "clerk");
  dialog = open_waiting_case (&f, &waiting);
  case_path = g_strdup_printf ("/api/v1/cases/%s", ow_case_get_case_no (waiting));

  /* The other line came on paper; this one would be ready to accept. */
  statute = find_arrived (dialog, "公司章程");
  address = find_arrived (dialog, "住所（经营场所）申报承诺书");
  g_assert_true (gtk_widget_activate (GTK_WIDGET (address)));
  ow_test_gui_settle (20);
  accept = ow_test_gui_find_button (dialog, "Accept and Print Notice");
  g_assert_false (gtk_widget_is_sensitive (accept));

  /* Each line has its Scan, named for a screen reader and reachable by keyboard. */
  row = find_action_row (dialog, "公司章程");
  scan = ow_test_gui_find_button (row, "Scan");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (scan), ==, "Scan 公司章程");
  g_assert_true (gtk_widget_get_focusable (scan));
  g_assert_true (gtk_widget_grab_focus (scan));
  {
    g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (dialog, GTK_TYPE_BUTTON);
    guint n_scan = 0;

    for (guint i = 0; i < buttons->len; i++)
      /* No mnemonic: one on every line would make Alt+S cycle through them. */
      n_scan += g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "Scan") == 0;
    g_assert_cmpuint (n_scan, ==, 3);
  }

  /* The pages dialog, as the intake page opens it: Accept waits while it is open. */
  g_signal_emit_by_name (scan, "clicked");
  ow_test_gui_settle (50);
  pages = OW_SCAN_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG));
  g_assert_nonnull (pages);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (pages)) == GTK_WINDOW (dialog));
  g_assert_false (gtk_widget_is_sensitive (accept));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (accept), "Finish scanning 公司章程"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (pages,
                                                                        "Kind of material")),
                              0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ow_test_gui_find_labelled (pages, "Source")), 0);
  g_signal_emit_by_name (ow_test_gui_find_button (pages, "Scan"), "clicked");
  ow_test_gui_wait_until (scan_dialog_idle, pages, "the scan to finish");
  if (ow_scan_dialog_get_n_pages (pages) == 0)
    g_error ("Scanning failed: %s", ow_scan_dialog_get_problem (pages));
  g_assert_false (gtk_widget_is_sensitive (accept));
  g_signal_emit_by_name (ow_test_gui_find_button (pages, "Done"), "clicked");
  ow_test_gui_wait_until (no_scan_dialog, NULL, "the pages to be stored");

  /* Stored: the line is ticked and says what was scanned; Accept can be pressed. */
  g_assert_true (gtk_check_button_get_active (statute));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "1 page scanned"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "缺少全体股东签字"));
  ow_test_gui_wait_until (button_sensitive, accept, "Accept to be sensitive again");

  g_signal_emit_by_name (accept, "clicked");
  ow_test_gui_wait_until (no_dialog, NULL, "the dialog to close after accepting");
  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (f.context),
                          "the outbox to drain");

  /* The platform has the line scanned with the file, and the file itself. */
  response = ow_test_counter_get (&f, "clerk", case_path);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, "accepted");
  line = find_line (json_node_get_object (response->json), "m2");
  g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, "scanned");
  files = json_object_get_array_member (line, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  sha256 = g_strdup (json_array_get_string_element (files, 0));
  g_assert_cmpuint (strlen (sha256), ==, 64);
  line = find_line (json_node_get_object (response->json), "m5");
  g_assert_cmpstr (json_object_get_string_member (line, "status"), ==, "paper");

  file_path = g_strdup_printf ("/api/v1/files/%s", sha256);
  file = ow_test_counter_get (&f, "clerk", file_path);
  g_assert_cmpstr (soup_message_headers_get_content_type (file->headers, NULL), ==,
                   "application/pdf");
  local_path = g_build_filename (ow_store_get_files_dir (ow_context_get_store (f.context)),
                                 sha256, NULL);
  g_assert_true (g_file_get_contents (local_path, &local, &local_size, NULL));
  g_assert_cmpmem (g_bytes_get_data (file->body, NULL), g_bytes_get_size (file->body), local,
                   local_size);

  ow_test_counter_stop (&f);
}

/* The printer is away when the case is accepted: the case is saved, the dialog says the notice
 * was not printed and offers Retry Printing; once the printer is back, that sends the job that
 * failed again (one notice at the printer, no failed job left), not a second copy. */
static void
test_retry_printing (void)
{
  OwTestCounter f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) waiting = NULL;
  g_autoptr(OwCase) stored = NULL;
  g_autoptr(OwPrintJob) failed = NULL;
  g_autofree char *formatted = NULL;
  OwSupplementDialog *dialog;
  OwPrintQueue *queue;
  GtkWidget *accept, *retry;
  const char *case_no;

  ow_test_counter_start (&f, OW_TEST_COUNTER_PRINTER, NULL);
  g_assert_nonnull (f.printer);
  ow_test_counter_log_in (&f, "clerk");
  queue = ow_print_jobs_get_queue (f.context);
  g_assert_nonnull (queue);
  dialog = open_waiting_case (&f, &waiting);
  case_no = ow_case_get_case_no (waiting);
  formatted = ow_case_number_format (case_no);

  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_arrived (dialog, "公司章程"))));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_arrived (dialog,
                                                                "住所（经营场所）申报承诺书"))));
  ow_test_gui_settle (20);
  accept = ow_test_gui_find_button (dialog, "Accept and Print Notice");
  g_assert_true (gtk_widget_is_sensitive (accept));

  ow_test_counter_stop_printer (&f);
  g_signal_emit_by_name (accept, "clicked");
  wait_for_label (GTK_WIDGET (dialog), "saved, but the notice was not printed");

  /* The case is accepted all the same; only the notice is missing, and one job waits. */
  stored = ow_store_load_case (ow_context_get_store (f.context), case_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ow_case_get_state (stored), ==, OW_CASE_STATE_ACCEPTED);
  retry = ow_test_gui_find_button (dialog, "Retry Printing");
  g_assert_true (retry == accept);
  ow_test_gui_wait_until (button_sensitive, retry, "Retry Printing to be sensitive");
  g_assert_cmpuint (ow_print_queue_get_n_failed (queue), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (queue)), ==, 1);
  failed = g_list_model_get_item (ow_print_queue_get_jobs (queue), 0);
  g_assert_cmpint (ow_print_job_get_state (failed), ==, OW_PRINT_JOB_FAILED);
  g_assert_cmpstr (ow_print_job_get_case_no (failed), ==, case_no);
  g_assert_cmpuint (ow_test_gui_count_spooled_pdfs (f.spool), ==, 0);

  /* The printer is back: Retry Printing sends that job again. */
  ow_test_counter_restart_printer (&f);
  g_signal_emit_by_name (retry, "clicked");
  ow_test_gui_wait_until (no_dialog, NULL, "the dialog to close after printing");
  {
    const char *wanted[] = { formatted, "notice printed", NULL };
    ow_test_gui_wait_until (ow_test_gui_toast_with_text, wanted,
                            "the toast saying the notice was printed");
  }
  ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, f.spool, "the notice at the printer");
  ow_test_gui_settle (500);
  g_assert_cmpuint (ow_test_gui_count_spooled_pdfs (f.spool), ==, 1);
  g_assert_cmpuint (ow_print_queue_get_n_failed (queue), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ow_print_queue_get_jobs (queue)), ==, 0);
  g_assert_cmpint (ow_print_job_get_state (failed), ==, OW_PRINT_JOB_DONE);
  g_assert_cmpuint (ow_print_job_get_attempts (failed), ==, 2);
  {
    g_autofree char *pdf = ow_test_gui_find_spooled_pdf (f.spool);
    g_autofree char *text = ow_test_gui_pdf_text (pdf);

    g_assert_nonnull (strstr (text, "受理通知书"));
  }

  ow_test_counter_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/supplement/returning-case", test_returning_case);
  g_test_add_func ("/supplement/scanned", test_scanned);
  g_test_add_func ("/supplement/retry-printing", test_retry_printing);
  return g_test_run ();
}
