/* test-decision.c — the clerk's decision at the counter: refuse, supplements, 容缺, delivery,
 * preview; against the real platform and a real IPP printer, in a real window under Xvfb
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the intake page as a clerk would — controls found by their labels and titles — and
 * checks what a wrong decision is refused with, then what a right one leaves behind: the case
 * in the local store and on the platform, and the notice's text in the printer's spool.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <gtk/gtkunixprint.h>

#include "core/ow-clock.h"
#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "gui/shell/ow-application.h"
#include "gui/intake/ow-decision-panel.h"
#include "gui/intake/ow-material-row.h"
#include "gui/printing/ow-preview-dialog.h"
#include "gui/printing/ow-print-jobs.h"
#include "gui/shell/ow-window.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

typedef struct
{
  OwTestCounter counter;
  GtkWidget *accept;
  GPtrArray *rows;
  gboolean confirm_refusal;   /* deciding answers the refusal's confirmation */
} Fixture;

/* ---------------------------------------------------------------------------------------- */
/* The decision's own controls */

static const char *
hint_text (Fixture *f)
{
  GtkWidget *accept = f->accept;
  GtkWidget *box = gtk_widget_get_parent (accept);
  GtkWidget *hint = gtk_widget_get_prev_sibling (box);

  g_assert_true (GTK_IS_LABEL (hint));
  return gtk_label_get_text (GTK_LABEL (hint));
}

static const char *
decision_label (OwDecision decision)
{
  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      return "Accept with a gap";
    case OW_DECISION_SUPPLEMENT:
      return "Request supplements";
    case OW_DECISION_REFUSE:
      return "Refuse";
    case OW_DECISION_ACCEPT:
    default:
      return "Accept";
    }
}

/* As the clerk picks it: by its label in the decision's choices. */
static void
choose_decision (Fixture   *f,
                 OwDecision decision)
{
  GtkWidget *row = ow_test_gui_find_row (f->counter.window, ADW_TYPE_COMBO_ROW, "Decision");

  ow_test_gui_choose_in_combo_row (row, decision_label (decision));
}

/* Logs in, picks the item named @item_name, fills a valid applicant. @printer_uri NULL: a real
 * ippeveprinter. */
static void
fixture_start_with_printer (Fixture    *f,
                            const char *item_name,
                            const char *printer_uri)
{
  GtkListBox *items_list;
  GtkWidget *search;
  OwWindow *window;
  gboolean picked = FALSE;

  ow_test_counter_start (&f->counter,
                         OW_TEST_COUNTER_SCANNER
                         | (printer_uri == NULL ? OW_TEST_COUNTER_PRINTER : 0),
                         printer_uri);
  ow_test_counter_log_in (&f->counter, "clerk");
  window = f->counter.window;
  f->accept = ow_test_gui_find_button (window, "Accept and Print Notice");

  search = ow_test_gui_find_first (window, GTK_TYPE_SEARCH_ENTRY);
  ow_test_gui_type_text (search, item_name);
  ow_test_gui_settle (100);
  items_list = ow_test_gui_find_list_with_class (window, "navigation-sidebar");
  for (guint i = 0; !picked && gtk_list_box_get_row_at_index (items_list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (items_list, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), item_name) == 0)
        {
          /* Enter on the row, or a click: moving through the results chooses nothing. */
          g_signal_emit_by_name (items_list, "row-activated", row);
          picked = TRUE;
        }
    }
  g_assert_true (picked);
  ow_test_gui_settle (100);
  f->rows = ow_test_gui_find_all (ow_test_gui_find_list_with_class (window, "ow-materials"),
                                  OW_TYPE_MATERIAL_ROW);
  g_assert_cmpuint (f->rows->len, >, 0);

  ow_test_gui_type_text (ow_test_gui_find_labelled (window, "Name"), "张三");
  ow_test_gui_type_text (ow_test_gui_find_labelled (window, "ID number"), "11010519491231002X");
  ow_test_gui_type_text (ow_test_gui_find_labelled (window, "Mobile"), "13800138000");
}

static void
fixture_start (Fixture    *f,
               const char *item_name)
{
  fixture_start_with_printer (f, item_name, NULL);
}

static void
fixture_stop (Fixture *f)
{
  g_clear_pointer (&f->rows, g_ptr_array_unref);
  ow_test_counter_stop (&f->counter);
}

static void
set_status (OwMaterialRow   *row,
            OwMaterialStatus status)
{
  g_assert_true (ow_material_row_set_status (row, status));
  ow_test_gui_settle (20);
}

/* Decides, waits for the form to clear, and checks the one case in the store, on the platform
 * (state @wire_state) and in the spool; returns the notice's text. */
static char *
decide_and_collect (Fixture     *f,
                    OwCaseState  state,
                    const char  *wire_state,
                    OwCase     **out_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(OwTestResponse) response = NULL;
  GtkWidget *name = ow_test_gui_find_labelled (f->counter.window, "Name");
  OwCase *kase;

  g_assert_true (gtk_widget_is_sensitive (f->accept));
  g_signal_emit_by_name (f->accept, "clicked");
  if (f->confirm_refusal)
    {
      ow_test_gui_settle (100);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (ow_test_gui_find_toplevel (
                                                         ADW_TYPE_MESSAGE_DIALOG)), "refuse");
    }
  ow_test_gui_wait_until (ow_test_gui_entry_empty, name, "the form to clear after deciding");

  cases = ow_store_list_cases (ow_context_get_store (f->counter.context), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  kase = g_ptr_array_index (cases, 0);
  g_assert_cmpint (ow_case_get_state (kase), ==, state);

  ow_test_gui_wait_until (ow_test_gui_sync_drained, ow_context_get_sync (f->counter.context),
                          "the case to reach the platform");
  path = g_strdup_printf ("/api/v1/cases/%s", ow_case_get_case_no (kase));
  response = ow_test_counter_get (&f->counter, "clerk", path);
  g_assert_cmpstr (ow_test_response_get_string (response, "state"), ==, wire_state);

  g_assert_nonnull (f->counter.printer);
  ow_test_gui_wait_until (ow_test_gui_spool_has_pdf, f->counter.spool, "the notice at the printer");
  pdf = ow_test_gui_find_spooled_pdf (f->counter.spool);
  if (out_case != NULL)
    *out_case = g_object_ref (kase);
  return ow_test_gui_pdf_text (pdf);
}

typedef struct
{
  OwStore *store;
  guint before;
} AuditWait;

static gboolean
audit_grew (gpointer data)
{
  AuditWait *wait = data;
  return ow_store_audit_count (wait->store, NULL) > wait->before;
}

/* ---------------------------------------------------------------------------------------- */

/* 不予受理: impossible without a reason; with one, the case is refused everywhere and the notice
 * states the reason. Delivery by post with a wrong mobile blocks the decision. The preview
 * shows the refusal's pages. */
static void
test_refuse (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *text = NULL;
  const char *reason = "申请事项依法不需要取得行政许可";
  GtkWidget *reason_row, *organ_row, *phone_row;
  OwWindow *window;

  fixture_start (&f, "有限责任公司设立登记");
  /* Not one line of this item may be tolerated: 容缺 is not offered, so it is no dead end. */
  g_assert_false (ow_test_gui_combo_row_offers (ow_test_gui_find_row (f.counter.window,
                                                                      ADW_TYPE_COMBO_ROW,
                                                                      "Decision"),
                                                decision_label (OW_DECISION_TOLERATED)));
  window = f.counter.window;

  choose_decision (&f, OW_DECISION_REFUSE);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (f.accept)), ==, "_Refuse and Print Notice");
  reason_row = ow_test_gui_find_row (window, ADW_TYPE_ENTRY_ROW, "Reason for refusal");
  organ_row = ow_test_gui_find_row (window, ADW_TYPE_ENTRY_ROW, "Competent organ (optional)");
  g_assert_true (gtk_widget_get_visible (reason_row));
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_nonnull (strstr (hint_text (&f), "reason"));
  /* Blanks are no reason. */
  ow_test_gui_type_text (reason_row, "   ");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  ow_test_gui_type_text (reason_row, reason);
  ow_test_gui_type_text (organ_row, "海口市民政局");
  g_assert_true (gtk_widget_is_sensitive (f.accept));

  /* By post: the recipient's mobile is checked as typed, and a wrong one blocks. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (ow_test_gui_find_row (window, ADW_TYPE_COMBO_ROW,
                                                                   "Delivery")), 1);
  ow_test_gui_settle (50);
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  ow_test_gui_type_text (ow_test_gui_find_row (window, ADW_TYPE_ENTRY_ROW, "Recipient"), "李四");
  phone_row = ow_test_gui_find_row (window, ADW_TYPE_ENTRY_ROW, "Recipient's mobile");
  ow_test_gui_type_text (phone_row, "1380013800");
  ow_test_gui_type_text (ow_test_gui_find_row (window, ADW_TYPE_ENTRY_ROW, "Postal address"),
                         "海口市龙华区滨海大道1号");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_true (gtk_widget_has_css_class (phone_row, "error"));
  g_assert_nonnull (strstr (hint_text (&f), "mobile"));
  ow_test_gui_type_text (phone_row, "13900139000");
  g_assert_false (gtk_widget_has_css_class (phone_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (f.accept));

  ow_test_gui_screenshot (GTK_WIDGET (window), "decision-refuse.png");

  /* The preview draws the refusal's pages before anything is saved. */
  {
    OwPreviewDialog *dialog;

    gtk_widget_activate_action (GTK_WIDGET (window), "win.preview", NULL);
    ow_test_gui_settle (50);
    dialog = OW_PREVIEW_DIALOG (ow_test_gui_find_toplevel (OW_TYPE_PREVIEW_DIALOG));
    g_assert_nonnull (dialog);
    ow_test_gui_wait_until ((OwTestGuiCondition) ow_preview_dialog_get_n_pages, dialog,
                            "the preview's pages");
    g_assert_cmpuint (ow_preview_dialog_get_n_pages (dialog), >=, 1);
    g_assert_true (gtk_widget_is_sensitive (ow_test_gui_find_button (dialog, "Print")));
    ow_test_gui_settle (200);
    ow_test_gui_screenshot (GTK_WIDGET (dialog), "decision-preview.png");
    gtk_window_close (GTK_WINDOW (dialog));
    ow_test_gui_settle (50);
  }

  /* "Print with Dialog…" lets the clerk pick a printer first; cancelling decides nothing. */
  {
    GtkWidget *print_dialog;

    gtk_widget_activate_action (ow_test_gui_find_first (window, OW_TYPE_DECISION_PANEL),
                                "intake.print-with-dialog", NULL);
    ow_test_gui_settle (200);
    print_dialog = ow_test_gui_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG);
    g_assert_nonnull (print_dialog);
    gtk_dialog_response (GTK_DIALOG (print_dialog), GTK_RESPONSE_CANCEL);
    ow_test_gui_settle (100);
    g_assert_null (ow_test_gui_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ow_test_gui_find_labelled (window,
                                                                                     "Name"))),
                     ==, "张三");
  }
  g_assert_null (ow_test_gui_find_spooled_pdf (f.counter.spool));

  /* A refusal looks like what it is, and is asked once more: cancelling decides nothing. */
  g_assert_true (gtk_widget_has_css_class (f.accept, "destructive-action"));
  g_assert_false (gtk_widget_has_css_class (f.accept, "suggested-action"));
  {
    AdwMessageDialog *confirm;
    g_autoptr(GPtrArray) saved = NULL;
    g_autoptr(GError) error = NULL;

    g_signal_emit_by_name (f.accept, "clicked");
    ow_test_gui_settle (100);
    confirm = ADW_MESSAGE_DIALOG (ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    g_assert_nonnull (confirm);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), reason));
    g_assert_cmpint (adw_message_dialog_get_response_appearance (confirm, "refuse"), ==,
                     ADW_RESPONSE_DESTRUCTIVE);
    g_assert_cmpstr (adw_message_dialog_get_default_response (confirm), ==, "cancel");
    adw_message_dialog_response (confirm, "cancel");
    ow_test_gui_settle (200);
    saved = ow_store_list_cases (ow_context_get_store (f.counter.context), 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (saved->len, ==, 0);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ow_test_gui_find_labelled (window,
                                                                                     "Name"))),
                     ==, "张三");
  }

  f.confirm_refusal = TRUE;
  text = decide_and_collect (&f, OW_CASE_STATE_REFUSED, "refused", &kase);
  g_assert_nonnull (strstr (text, "不予受理通知书"));
  g_assert_nonnull (strstr (text, reason));
  g_assert_cmpstr (ow_case_get_refusal_reason (kase), ==, reason);
  g_assert_cmpstr (ow_case_get_competent_organ (kase), ==, "海口市民政局");
  g_assert_cmpint (ow_case_get_delivery (kase), ==, OW_DELIVERY_POST);
  g_assert_cmpstr (ow_case_get_post_phone (kase), ==, "13900139000");
  {
    g_autofree char *display = ow_case_number_format (ow_case_get_case_no (kase));
    const char *wanted[] = { display, "refused" };
    ow_test_gui_wait_until (ow_test_gui_toast_with_text, wanted,
                            "the toast saying the refusal was printed");
  }

  /* Nothing failed: the print jobs window says so. */
  {
    GtkWidget *jobs;

    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-print-jobs", NULL);
    jobs = ow_test_gui_find_toplevel (OW_TYPE_PRINT_JOBS_WINDOW);
    g_assert_nonnull (jobs);
    g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 0);
    gtk_window_destroy (GTK_WINDOW (jobs));
    ow_test_gui_settle (50);
  }

  /* A reprint asks why, and the reason goes into the audit log once it printed. */
  {
    g_autoptr(GError) error = NULL;
    OwStore *store = ow_context_get_store (f.counter.context);
    AuditWait wait = { store, 0 };
    GtkWidget *dialog, *entry;

    wait.before = ow_store_audit_count (store, &error);
    g_assert_no_error (error);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.reprint", NULL);
    ow_test_gui_settle (50);
    dialog = ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "reprint"));
    entry = ow_test_gui_find_entry_with_placeholder (dialog, "Reason for reprinting");
    ow_test_gui_type_text (entry, "申请人遗失通知书");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                            "reprint"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reprint");
    ow_test_gui_wait_until (ow_test_gui_spool_has_two_pdfs, f.counter.spool,
                            "the reprint at the printer");
    ow_test_gui_wait_until (audit_grew, &wait, "the reprint in the audit log");
  }

  fixture_stop (&f);
}

/* 补正: every missing line needs its reason; the notice lists the material with it. */
typedef struct
{
  char *text;
  gboolean done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static void
test_supplement (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *text = NULL;
  OwMaterialRow *missing_row;
  const char *note = "缺少全体股东签字";
  g_autofree char *missing_name = NULL;
  g_autofree char *missing_id = NULL;

  fixture_start (&f, "有限责任公司设立登记");
  for (guint i = 1; i < f.rows->len; i++)
    if (!ow_material_row_get_provided (g_ptr_array_index (f.rows, i)))
      set_status (g_ptr_array_index (f.rows, i), OW_MATERIAL_STATUS_PAPER);
  missing_row = g_ptr_array_index (f.rows, 0);
  /* Copied: the row and its material go when the form clears. */
  missing_name = g_strdup (ow_material_get_name (ow_material_row_get_material (missing_row)));
  missing_id = g_strdup (ow_material_get_id (ow_material_row_get_material (missing_row)));
  set_status (missing_row, OW_MATERIAL_STATUS_MISSING);

  /* Accept is impossible with a material missing. */
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  choose_decision (&f, OW_DECISION_SUPPLEMENT);
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_nonnull (strstr (hint_text (&f), "missing or wrong"));
  ow_test_gui_type_text (ow_test_gui_find_entry_with_placeholder (missing_row,
                                                                 "What is missing or wrong"),
                         note);
  g_assert_true (gtk_widget_is_sensitive (f.accept));
  ow_test_gui_screenshot (GTK_WIDGET (f.counter.window), "decision-supplement.png");

  text = decide_and_collect (&f, OW_CASE_STATE_SUPPLEMENT_REQUESTED, "supplement-requested",
                             &kase);
  g_assert_nonnull (strstr (text, "补正材料通知书"));
  g_assert_nonnull (strstr (text, note));
  {
    /* pdftotext may break a long name across lines: look for its first characters. */
    g_autofree char *head = g_utf8_substring (missing_name, 0, 4);
    g_assert_nonnull (strstr (text, head));
  }
  g_assert_cmpstr (ow_case_find_material (kase, missing_id)->note, ==, note);

  /* The case number stays in sight, to read out or copy, until the next applicant. */
  {
    g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
    GtkWidget *copy;
    ClipboardRead read = { NULL, FALSE };
    GtkWidget *box = NULL;
    g_autoptr(GPtrArray) labels = ow_test_gui_find_all (f.counter.window, GTK_TYPE_LABEL);

    for (guint i = 0; i < labels->len && box == NULL; i++)
      if (strstr (gtk_label_get_text (labels->pdata[i]), formatted) != NULL
          && gtk_widget_get_mapped (labels->pdata[i]))
        box = gtk_widget_get_parent (labels->pdata[i]);
    g_assert_nonnull (box);
    ow_test_gui_settle (6000);      /* longer than the toast */
    g_assert_true (gtk_widget_get_mapped (box));
    copy = gtk_widget_get_last_child (box);
    g_assert_true (GTK_IS_BUTTON (copy));
    g_signal_emit_by_name (copy, "clicked");
    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (copy), NULL, clipboard_read_cb,
                                   &read);
    ow_test_gui_wait_until (clipboard_done, &read, "the clipboard");
    g_assert_cmpstr (read.text, ==, formatted);
    g_free (read.text);

    /* The next applicant: it gives way. */
    ow_test_gui_type_text (ow_test_gui_find_labelled (f.counter.window, "ID number"), "1101");
    g_assert_false (gtk_widget_get_mapped (box));
  }

  fixture_stop (&f);
}

/* 容缺: only where the catalog allows it, and never due after the promised completion. */
static void
test_tolerated (void)
{
  Fixture f = { 0 };
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *text = NULL;
  OwMaterialRow *tolerable = NULL;
  GtkWidget *due;
  const GDate *promised;
  GDate late;
  char late_text[16], promised_text[16];

  fixture_start (&f, "有限责任公司注销登记（含简易注销）");
  g_assert_true (ow_test_gui_combo_row_offers (ow_test_gui_find_row (f.counter.window,
                                                                     ADW_TYPE_COMBO_ROW,
                                                                     "Decision"),
                                               decision_label (OW_DECISION_TOLERATED)));
  for (guint i = 0; i < f.rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (f.rows, i);

      if (ow_material_get_tolerable (ow_material_row_get_material (row)))
        tolerable = row;
      else
        {
          /* Offered only where the catalog allows it. */
          g_assert_false (ow_material_row_set_status (row, OW_MATERIAL_STATUS_TOLERATED));
          if (!ow_material_row_get_provided (row))
            set_status (row, OW_MATERIAL_STATUS_PAPER);
        }
    }
  g_assert_nonnull (tolerable);
  set_status (tolerable, OW_MATERIAL_STATUS_TOLERATED);
  due = ow_test_gui_find_entry_with_placeholder (tolerable, "Due YYYY-MM-DD");
  g_assert_true (gtk_widget_get_visible (due));

  /* Plain acceptance with a tolerated line is not offered. */
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  choose_decision (&f, OW_DECISION_TOLERATED);

  /* The promised date of this item as the page computes it: one working day from today. The
   * UI refuses a due date after it. */
  {
    GDate today, p;
    gboolean provisional;

    ow_hall_today (&today);
    ow_calendar_add_working_days (ow_context_get_calendar (f.counter.context), &today, 1, &p,
                                  &provisional);
    g_date_strftime (promised_text, sizeof promised_text, "%Y-%m-%d", &p);
    late = p;
    g_date_add_days (&late, 1);
    g_date_strftime (late_text, sizeof late_text, "%Y-%m-%d", &late);
  }
  /* The due date starts at the promised completion, the latest it may be. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (due)), ==, promised_text);
  g_assert_true (gtk_widget_is_sensitive (f.accept));
  /* Without a date there is no 容缺. */
  ow_test_gui_type_text (due, "");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_nonnull (strstr (hint_text (&f), "due date"));
  ow_test_gui_type_text (due, late_text);
  ow_test_gui_screenshot (GTK_WIDGET (f.counter.window), "decision-tolerated-late.png");
  g_assert_false (gtk_widget_is_sensitive (f.accept));
  g_assert_true (gtk_widget_has_css_class (due, "error"));
  g_assert_nonnull (strstr (hint_text (&f), "promised completion"));
  ow_test_gui_type_text (due, promised_text);
  g_assert_false (gtk_widget_has_css_class (due, "error"));
  g_assert_true (gtk_widget_is_sensitive (f.accept));

  text = decide_and_collect (&f, OW_CASE_STATE_ACCEPTED, "accepted", &kase);
  g_assert_nonnull (strstr (text, "容缺受理通知书"));
  g_assert_true (ow_case_has_tolerated (kase));
  promised = ow_case_get_promised_date (kase);
  {
    char stored[16];
    g_date_strftime (stored, sizeof stored, "%Y-%m-%d", promised);
    g_assert_cmpstr (stored, ==, promised_text);
  }

  fixture_stop (&f);
}

static gboolean
jobs_window_has_rows (gpointer data)
{
  return ow_print_jobs_window_get_n_rows (data) > 0;
}

/* A printer that does not answer: the case is saved all the same, the toast offers Retry, and
 * the job waits in the print jobs window until discarded — after a confirmation. */
static void
test_print_failure (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *uri = g_strdup_printf ("ipp://localhost:%u/ipp/print",
                                          ow_test_gui_pick_free_port ());
  GtkWidget *jobs, *dialog;
  const char *wanted[] = { "not printed", NULL };

  fixture_start_with_printer (&f, "有限责任公司设立登记", uri);
  for (guint i = 0; i < f.rows->len; i++)
    if (!ow_material_row_get_provided (g_ptr_array_index (f.rows, i)))
      set_status (g_ptr_array_index (f.rows, i), OW_MATERIAL_STATUS_PAPER);
  g_assert_true (gtk_widget_is_sensitive (f.accept));
  g_signal_emit_by_name (f.accept, "clicked");
  ow_test_gui_wait_until (ow_test_gui_toast_with_text, wanted,
                          "the toast saying the notice was not printed");
  ow_test_gui_find_button (f.counter.window, "Retry");

  cases = ow_store_list_cases (ow_context_get_store (f.counter.context), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  g_assert_cmpint (ow_case_get_state (g_ptr_array_index (cases, 0)), ==, OW_CASE_STATE_ACCEPTED);

  gtk_widget_activate_action (GTK_WIDGET (f.counter.window), "win.show-print-jobs", NULL);
  jobs = ow_test_gui_find_toplevel (OW_TYPE_PRINT_JOBS_WINDOW);
  g_assert_nonnull (jobs);
  ow_test_gui_wait_until (jobs_window_has_rows, jobs, "the failed job in the print jobs window");
  g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 1);
  ow_test_gui_settle (100);
  ow_test_gui_screenshot (jobs, "decision-print-jobs.png");

  /* Discard asks first; Cancel keeps the job. */
  g_signal_emit_by_name (ow_test_gui_find_button (jobs, "Discard"), "clicked");
  ow_test_gui_settle (50);
  dialog = ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  ow_test_gui_settle (50);
  g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 1);
  g_signal_emit_by_name (ow_test_gui_find_button (jobs, "Discard"), "clicked");
  ow_test_gui_settle (50);
  dialog = ow_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  ow_test_gui_settle (50);
  g_assert_cmpuint (ow_print_jobs_window_get_n_rows (OW_PRINT_JOBS_WINDOW (jobs)), ==, 0);
  g_assert_cmpuint (ow_print_queue_get_n_failed (ow_print_jobs_get_queue (f.counter.context)), ==,
                    0);
  gtk_window_destroy (GTK_WINDOW (jobs));

  fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/decision/refuse", test_refuse);
  g_test_add_func ("/decision/supplement", test_supplement);
  g_test_add_func ("/decision/tolerated", test_tolerated);
  g_test_add_func ("/decision/print-failure", test_print_failure);
  return g_test_run ();
}
