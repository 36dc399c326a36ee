/* test-pickup.c — the unified pick-up window, step by step, in a real window under Xvfb against
 * the real platform and a real IPP printer
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cases are accepted on the platform by the clerk of counter 7 and made ready by the admin
 * command (one not approved); the pick-up counter logs in with an empty store and finds them in
 * its lists. Then, per test:
 *   handover  the receipt's QR code typed by X as a scanner does (a burst of keys) while the
 *             focus is elsewhere; a wrong ID refused with nothing kept; the applicant's ID hands
 *             over both results on one slip (in the spool: case numbers, signature line); the
 *             platform has the collector; a rating of 4 saves with its follow-up ticket, and a
 *             second is "already rated".
 *   agent     an agent with the letter scanned through the pages dialog (SANE's test backend).
 *   find      a typo in a case number caught by its check character; an ID number lists the
 *             applicant's results; a case not ready says where it is; another hall's says so.
 *   mail      a waybill that fails its check digit refused, a good one kept; the courier's list
 *             printed; the delivery confirmed.
 *   offline   the platform stopped, a hand-over made, the platform back: it arrives once.
 *   rating-monitor  the rating window full screen on the monitor chosen in the settings.
 * Screenshots of each step go to tests/gui in the build folder, in English and (screenshots-zh)
 * in Chinese.
 */

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "core/ow-case-number.h"
#include "core/ow-waybill.h"
#include "gui/pickup/ow-pickup-page.h"
#include "gui/pickup/ow-rating-window.h"
#include "gui/scanning/ow-scan-dialog.h"
#include "gui/shell/ow-window.h"
#include "net/ow-json.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

#define APPLICANT_ID "11010519491231002X"
#define OTHER_ID     "460100200002291233"
#define AGENT_ID     "460100199001010019"

typedef struct
{
  OwTestCounter counter;
  char         *clerk;     /* the demo clerk's token, to accept cases */
  guint         sequence;
} Fixture;

/* ---------------------------------------------------------------------------------------- */
/* The cases, as counter 7 accepted them and the departments decided */

static void
run_admin (Fixture *f,
           ...)
{
  const char *binary = g_getenv ("OW_PLATFORM_BINARY");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, (char *) "admin");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) ow_test_platform_get_db_path (f->counter.platform));
  va_start (args, f);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  /* Only create-user reads its password: the others may be gone before anything is written. */
  g_subprocess_communicate_utf8 (process,
                                 g_str_equal (argv->pdata[4], "create-user") ? "demo\n" : NULL,
                                 NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("admin: %s%s", out, err);
}

/* A case of @hall for @name (@id) of the demo catalog's first item, accepted; then approved or
 * not and made ready when @ready. By post when @post. Returns its number. */
static char *
put_case (Fixture    *f,
          const char *hall,
          const char *token,
          const char *name,
          const char *id,
          gboolean    post,
          int         decision)  /* 0: stays accepted, 1: approved, -1: not approved */
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwApplicant) applicant = ow_applicant_new (OW_APPLICANT_PERSON);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(OwTestResponse) answer = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *case_no = NULL;
  GDate today, promised;

  ow_test_today (&today);
  case_no = ow_case_number_make (hall, 7, &today, ++f->sequence, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_state (kase, OW_CASE_STATE_ACCEPTED);
  ow_case_set_query_code (kase, "K7Q2MX");
  applicant->name = g_strdup (name);
  applicant->id_number = g_strdup (id);
  applicant->phone = g_strdup ("13800138000");
  ow_case_set_applicant (kase, applicant);
  ow_case_set_origin (kase, hall, 7, "clerk");
  ow_case_set_received_at (kase, now);
  promised = today;
  g_date_add_days (&promised, 10);
  ow_case_set_promised_date (kase, &promised);
  ow_case_add_item (kase, ow_case_item_new ("11460100MB1234567X400011", "000117001",
                                            "食品经营许可（新办）", "海口市市场监督管理局"));
  if (post)
    ow_case_set_delivery (kase, OW_DELIVERY_POST, name, "13900139000",
                          "海南省海口市龙华区滨海大道1号");
  else
    ow_case_set_delivery (kase, OW_DELIVERY_PICKUP, NULL, NULL, NULL);
  node = ow_json_from_case (kase);
  body = ow_json_to_canonical (node);
  path = g_strconcat ("/api/v1/cases/", case_no, NULL);
  answer = ow_test_platform_request (f->counter.platform, "PUT", path, token, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 201);
  if (decision != 0)
    {
      run_admin (f, "move-case", case_no, decision > 0 ? "approved" : "not-approved", NULL);
      run_admin (f, "move-case", case_no, "result-ready", NULL);
    }
  return g_steal_pointer (&case_no);
}

static void
fixture_start (Fixture            *f,
               OwTestCounterFlags  flags)
{
  g_autoptr(GError) error = NULL;

  ow_test_counter_start (&f->counter, flags | OW_TEST_COUNTER_PRINTER, NULL);
  f->clerk = ow_test_platform_login (f->counter.platform, "clerk", "demo", &error);
  g_assert_no_error (error);
}

static void
fixture_stop (Fixture *f)
{
  g_free (f->clerk);
  ow_test_counter_stop (&f->counter);
}

static OwPickupPage *
page_of (Fixture *f)
{
  return ow_test_gui_find_first (f->counter.window, OW_TYPE_PICKUP_PAGE);
}

typedef struct
{
  OwPickupPage *page;
  const char   *list;
  guint         rows;
} RowsWait;

static gboolean
has_rows (gpointer data)
{
  RowsWait *wait = data;

  return !ow_pickup_page_is_busy (wait->page)
         && ow_pickup_page_get_n_rows (wait->page, wait->list) == wait->rows;
}

static void
wait_for_rows (Fixture    *f,
               const char *list,
               guint       rows)
{
  RowsWait wait = { page_of (f), list, rows };
  g_autofree char *what = g_strdup_printf ("%u rows in the list %s", rows, list);

  /* The feed brings what happened on the platform; "Sync now" saves waiting for its poll. */
  ow_sync_kick (ow_context_get_sync (f->counter.context));
  ow_test_gui_wait_until (has_rows, &wait, what);
}

typedef struct
{
  OwPickupPage *page;
  const char   *detail;
} DetailWait;

static gboolean
shows_detail (gpointer data)
{
  DetailWait *wait = data;

  return !ow_pickup_page_is_busy (wait->page)
         && g_strcmp0 (ow_pickup_page_get_detail (wait->page), wait->detail) == 0;
}

static void
wait_for_detail (Fixture    *f,
                 const char *detail)
{
  DetailWait wait = { page_of (f), detail };
  g_autofree char *what = g_strdup_printf ("the pick-up page to show %s", detail);

  ow_test_gui_wait_until (shows_detail, &wait, what);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding controls as a screen reader user would */

static gboolean
is_shown (GtkWidget *widget)
{
  return gtk_widget_is_drawable (widget) && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_entry_row (gpointer    root,
                const char *title)
{
  g_autoptr(GPtrArray) rows = ow_test_gui_find_all (root, ADW_TYPE_ENTRY_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (is_shown (g_ptr_array_index (rows, i))
        && strstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) != NULL)
      return g_ptr_array_index (rows, i);
  g_error ("No entry “%s” shown", title);
  return NULL;
}

static GtkWidget *
find_shown_button (gpointer    root,
                   const char *label)
{
  g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);
      g_autofree char *plain = ow_test_gui_strip_mnemonic (gtk_button_get_label (button));

      if (g_strcmp0 (plain, label) == 0 && is_shown (GTK_WIDGET (button)))
        return GTK_WIDGET (button);
    }
  g_error ("No button “%s” shown", label);
  return NULL;
}

/* One of the rating window's levels, by the words on it. */
static GtkWidget *
find_level (gpointer    root,
            const char *words)
{
  g_autoptr(GPtrArray) buttons = ow_test_gui_find_all (root, GTK_TYPE_TOGGLE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *child = gtk_button_get_child (g_ptr_array_index (buttons, i));

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), words) == 0)
        return g_ptr_array_index (buttons, i);
    }
  g_error ("No level “%s”", words);
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
type_into (GtkWidget  *editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

/* Whether a label shown under @root holds @text. */
static gboolean
shows_text (gpointer    root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (is_shown (g_ptr_array_index (labels, i))
        && strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;
  return FALSE;
}

/* How many labels shown under @root hold @text: a message is said once. */
static guint
count_shown_text (gpointer    root,
                  const char *text)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (root, GTK_TYPE_LABEL);
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    if (is_shown (g_ptr_array_index (labels, i))
        && strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      n++;
  return n;
}

static const char *
where_title (Fixture *f)
{
  g_autoptr(GPtrArray) pages = ow_test_gui_find_all (page_of (f), ADW_TYPE_STATUS_PAGE);

  for (guint i = 0; i < pages->len; i++)
    if (is_shown (g_ptr_array_index (pages, i)))
      return adw_status_page_get_title (g_ptr_array_index (pages, i));
  return NULL;
}

static const char *
where_description (Fixture *f)
{
  g_autoptr(GPtrArray) pages = ow_test_gui_find_all (page_of (f), ADW_TYPE_STATUS_PAGE);

  for (guint i = 0; i < pages->len; i++)
    if (is_shown (g_ptr_array_index (pages, i)))
      return adw_status_page_get_description (g_ptr_array_index (pages, i));
  return NULL;
}

static void
screenshot (Fixture    *f,
            const char *name)
{
  ow_test_gui_settle (150);
  ow_test_gui_screenshot (GTK_WIDGET (f->counter.window), name);
}

/* ---------------------------------------------------------------------------------------- */
/* A barcode scanner: X types the code, a few milliseconds a key, into the focused window */

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
xdotool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                               &error);
  g_assert_no_error (error);
  /* The window reads the keys while xdotool types them. */
  {
    gboolean done = FALSE;

    g_subprocess_wait_async (process, NULL, waited_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (g_subprocess_get_successful (process));
}

static void
scan_receipt (Fixture    *f,
              const char *case_no)
{
  g_autofree char *payload = ow_case_qr_payload (case_no, "K7Q2MX");
  g_autofree char *xid = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->counter.window));
  const char *focus[] = { "windowfocus", "--sync", NULL, NULL };

  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  focus[2] = xid;
  xdotool (focus);
  /* One xdotool for the code and its Enter, each character by its keysym: a scanner ends its
   * burst with Enter at once. */
  g_ptr_array_add (keys, g_strdup ("key"));
  g_ptr_array_add (keys, g_strdup ("--delay"));
  g_ptr_array_add (keys, g_strdup ("4"));
  for (const char *p = payload; *p != '\0'; p++)
    g_ptr_array_add (keys, *p == ':' ? g_strdup ("colon") : g_strndup (p, 1));
  g_ptr_array_add (keys, g_strdup ("Return"));
  g_ptr_array_add (keys, NULL);
  xdotool ((const char * const *) keys->pdata);
}

/* ---------------------------------------------------------------------------------------- */

static guint
platform_events (Fixture    *f,
                 const char *case_no,
                 const char *kind,
                 JsonObject **last)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/events", case_no);
  g_autoptr(OwTestResponse) r = ow_test_counter_get (&f->counter, "supervisor", path);
  JsonArray *events = json_object_get_array_member (json_node_get_object (r->json), "events");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (event, "kind"), kind))
        {
          n++;
          if (last != NULL)
            {
              g_clear_pointer (last, json_object_unref);
              *last = json_object_ref (event);
            }
        }
    }
  return n;
}

static gboolean
outbox_empty (gpointer data)
{
  OwSync *sync = data;

  return ow_sync_get_pending (sync) == 0 && ow_sync_get_state (sync) == OW_SYNC_IDLE;
}

static void
wait_sent (Fixture *f)
{
  ow_sync_kick (ow_context_get_sync (f->counter.context));
  ow_test_gui_wait_until (outbox_empty, ow_context_get_sync (f->counter.context),
                          "the outbox to be sent");
}

/* The text of a spooled PDF without spaces, or NULL while the printer still writes it. */
static char *
try_pdf_text (const char *path)
{
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return ow_test_gui_squeeze_spaces (out);
}

typedef struct
{
  const char *spool;
  const char *needle;
} SpoolWait;

static gboolean
spool_has_text (gpointer data)
{
  SpoolWait *wait = data;
  g_autoptr(GDir) dir = g_dir_open (wait->spool, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (wait->spool, name, NULL);
      g_autofree char *head = NULL;
      g_autofree char *squeezed = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &head, &length, NULL) || length < 4
          || memcmp (head, "%PDF", 4) != 0)
        continue;
      squeezed = try_pdf_text (path);
      if (squeezed != NULL && strstr (squeezed, wait->needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
spooled_text_with (Fixture    *f,
                   const char *needle)
{
  SpoolWait wait = { f->counter.spool, needle };
  g_autoptr(GDir) dir = NULL;
  const char *name;
  g_autofree char *what = g_strdup_printf ("a printed PDF with “%s”", needle);

  ow_test_gui_wait_until (spool_has_text, &wait, what);
  dir = g_dir_open (f->counter.spool, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->counter.spool, name, NULL);
      char *squeezed = try_pdf_text (path);

      if (squeezed != NULL && strstr (squeezed, needle) != NULL)
        return squeezed;
      g_free (squeezed);
    }
  g_assert_not_reached ();
}

static gboolean
window_open (gpointer data)
{
  return ow_pickup_page_get_rating_window (data) != NULL;
}

static gboolean
window_closed (gpointer data)
{
  return ow_pickup_page_get_rating_window (data) == NULL;
}

static gboolean
toast_says (gpointer data)
{
  const char *wanted[] = { data, NULL };

  return ow_test_gui_toast_with_text (wanted);
}

static void
wait_toast (const char *text)
{
  g_autofree char *what = g_strdup_printf ("a toast “%s”", text);

  ow_test_gui_wait_until (toast_says, (gpointer) text, what);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_handover (void)
{
  Fixture f = { 0 };
  g_autofree char *first = NULL, *second = NULL, *other = NULL;
  g_autofree char *slip = NULL;
  g_autofree char *first_formatted = NULL, *second_formatted = NULL;
  JsonObject *event = NULL;
  OwPickupPage *page;
  OwRatingWindow *window;

  fixture_start (&f, OW_TEST_COUNTER_DEFAULT);
  first = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 1);
  second = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, -1);
  other = put_case (&f, "46010001", f.clerk, "李四", OTHER_ID, FALSE, 1);
  first_formatted = ow_case_number_format (first);
  second_formatted = ow_case_number_format (second);

  ow_test_counter_log_in (&f.counter, "pickup");
  g_assert_cmpstr (ow_window_get_workspace (f.counter.window), ==, "pickup");
  page = page_of (&f);
  /* An empty store: the hall's results come from the platform, one row per applicant. */
  wait_for_rows (&f, "pickup", 2);
  screenshot (&f, "pickup-lists.png");

  /* The scanner reads the receipt into whatever has the focus (here the find entry, with a
   * character typed in it): the case opens at once. */
  type_into (GTK_WIDGET (ow_test_gui_find_labelled (f.counter.window, "Find")), "张");
  scan_receipt (&f, first);
  wait_for_detail (&f, "handover");
  g_assert_true (shows_text (page, "张三"));
  g_assert_true (shows_text (page, "不予许可决定书"));
  screenshot (&f, "pickup-handover.png");

  /* Someone else's ID: refused, with the reason, nothing kept. */
  type_into (find_entry_row (page, "Applicant's ID number"), OTHER_ID);
  click (find_shown_button (page, "Hand Over and Print Slip"));
  g_assert_true (shows_text (page, "not the applicant"));
  g_assert_true (shows_text (page, "Nothing was handed over"));
  g_assert_cmpstr (ow_pickup_page_get_detail (page), ==, "handover");
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (f.counter.context)), ==, 0);
  screenshot (&f, "pickup-wrong-id.png");

  /* The applicant's own: both results at once, one slip. */
  type_into (find_entry_row (page, "Applicant's ID number"), "11010519491231002x");
  type_into (find_entry_row (page, "Number on the result"), "JY14601000001");
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  wait_for_detail (&f, "done");
  screenshot (&f, "pickup-done.png");
  slip = spooled_text_with (&f, "出件签收单");
  g_assert_nonnull (strstr (slip, first_formatted));
  g_assert_nonnull (strstr (slip, second_formatted));
  g_assert_nonnull (strstr (slip, "领取人签名：____"));
  g_assert_nonnull (strstr (slip, "JY14601000001"));
  wait_sent (&f);
  g_assert_cmpuint (platform_events (&f, first, "handed-over", &event), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (event, "collector"), "kind"), ==,
                   "applicant");
  g_clear_pointer (&event, json_object_unref);
  g_assert_cmpuint (platform_events (&f, second, "handed-over", &event), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (event, "results"), 0), "name"), ==,
                   "不予许可决定书");
  g_clear_pointer (&event, json_object_unref);
  wait_for_rows (&f, "pickup", 1);

  /* The rating: a 4 saves, with its follow-up for the supervisor. */
  click (find_shown_button (page, "Ask for a Rating"));
  ow_test_gui_wait_until (window_open, page, "the rating window");
  window = OW_RATING_WINDOW (ow_pickup_page_get_rating_window (page));
  ow_test_gui_settle (100);
  ow_test_gui_screenshot (GTK_WIDGET (window), "pickup-rating.png");
  click (find_level (window, "Dissatisfied"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (ow_test_gui_find_first (window,
                                                        GTK_TYPE_TEXT_VIEW)),
                            "等了很久", -1);
  click (find_shown_button (window, "Submit Rating"));
  wait_toast ("follow-up");
  ow_test_gui_wait_until (window_closed, page, "the rating window to close by itself");
  /* The counter's window has the keys again, on the next step: Ask for a Rating is
   * insensitive now, and a window without a focus takes neither shortcuts nor the scanner. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f.counter.window));

    g_assert_true (GTK_IS_BUTTON (focus));
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (focus)), ==, "_Next Applicant");
  }
  wait_sent (&f);
  {
    g_autoptr(OwTestResponse) tickets = ow_test_counter_get (&f.counter, "supervisor",
                                                             "/api/v1/tickets");
    JsonArray *list = json_object_get_array_member (json_node_get_object (tickets->json),
                                                    "tickets");
    guint followed = 0;

    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *ticket = json_array_get_object_element (list, i);

        if (json_object_get_string_member_with_default (ticket, "rating_id", NULL) != NULL
            && g_strcmp0 (json_object_get_string_member (ticket, "case_no"), first) == 0)
          followed++;
      }
    g_assert_cmpuint (followed, ==, 1);
  }
  /* A case is rated once. */
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.rate", NULL);
  g_assert_null (ow_pickup_page_get_rating_window (page));

  /* Found again by their ID, everything of theirs went out: said so, not "not ready yet". */
  ow_pickup_page_find (page, APPLICANT_ID);
  wait_for_detail (&f, "where");
  g_assert_cmpstr (where_title (&f), ==, "Already Handed Over");
  g_assert_nonnull (strstr (where_description (&f), first_formatted));
  g_assert_nonnull (strstr (where_description (&f), second_formatted));

  fixture_stop (&f);
}

static void
test_agent (void)
{
  Fixture f = { 0 };
  g_autofree char *case_no = NULL;
  JsonObject *event = NULL;
  OwPickupPage *page;
  GtkWidget *dialog;

  fixture_start (&f, OW_TEST_COUNTER_SCANNER);
  case_no = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 1);
  ow_test_counter_log_in (&f.counter, "pickup");
  page = page_of (&f);
  wait_for_rows (&f, "pickup", 1);
  ow_pickup_page_find (page, case_no);
  wait_for_detail (&f, "handover");

  click (find_shown_button (page, "An agent with a letter"));
  /* On to the agent's first field, to type their name at once. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.counter.window)),
                                         find_entry_row (page, "Agent's name")));
  type_into (find_entry_row (page, "Agent's name"), "李四");
  type_into (find_entry_row (page, "Agent's ID number"), AGENT_ID);
  type_into (find_entry_row (page, "Agent's mobile"), "139 0013 9000");
  /* No letter yet: refused, nothing kept. */
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  g_assert_cmpuint (count_shown_text (page, "Scan the authorisation letter"), ==, 1);
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (f.counter.context)), ==, 0);

  click (find_shown_button (page, "Scan Letter…"));
  dialog = ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG);
  g_assert_nonnull (dialog);
  ow_test_gui_wait_until ((OwTestGuiCondition) gtk_widget_is_sensitive,
                          ow_test_gui_find_button (dialog, "Scan"), "the scanner");
  click (ow_test_gui_find_button (dialog, "Scan"));
  while (ow_scan_dialog_get_busy (OW_SCAN_DIALOG (dialog)) || ow_scan_dialog_get_n_pages (
           OW_SCAN_DIALOG (dialog)) == 0)
    g_main_context_iteration (NULL, TRUE);
  click (ow_test_gui_find_button (dialog, "Done"));
  while (ow_test_gui_find_toplevel (OW_TYPE_SCAN_DIALOG) != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (shows_text (page, "Scanned"));
  screenshot (&f, "pickup-agent.png");

  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  wait_for_detail (&f, "done");
  wait_sent (&f);
  g_assert_cmpuint (platform_events (&f, case_no, "handed-over", &event), ==, 1);
  {
    JsonObject *collector = json_object_get_object_member (event, "collector");

    g_assert_cmpstr (json_object_get_string_member (collector, "kind"), ==, "agent");
    g_assert_cmpstr (json_object_get_string_member (collector, "id_number"), ==, AGENT_ID);
    g_assert_cmpstr (json_object_get_string_member (collector, "phone"), ==, "13900139000");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (collector,
                                                                           "letter_files")),
                      ==, 1);
  }
  g_clear_pointer (&event, json_object_unref);
  {
    g_autofree char *slip = spooled_text_with (&f, "出件签收单");

    g_assert_nonnull (strstr (slip, "李四（代领，凭授权委托书）"));
  }
  fixture_stop (&f);
}

static void
test_find (void)
{
  Fixture f = { 0 };
  g_autofree char *ready = NULL, *waiting = NULL, *elsewhere = NULL, *typo = NULL;
  g_autofree char *sanya = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *find;
  OwPickupPage *page;

  fixture_start (&f, OW_TEST_COUNTER_DEFAULT);
  run_admin (&f, "create-user", "sanya", "--role", "clerk", "--display-name", "吴敏",
             "--hall", "46020001", "--hall-name", "三亚市政务服务中心", "--counter", "3", NULL);
  sanya = ow_test_platform_login (f.counter.platform, "sanya", "demo", &error);
  g_assert_no_error (error);
  ready = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 1);
  waiting = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 0);
  elsewhere = put_case (&f, "46020001", sanya, "张三", APPLICANT_ID, FALSE, 0);
  ow_test_counter_log_in (&f.counter, "pickup");
  page = page_of (&f);
  wait_for_rows (&f, "pickup", 1);
  find = GTK_WIDGET (ow_test_gui_find_labelled (f.counter.window, "Find"));

  /* A digit mistyped: the check character says so, nothing is looked up. */
  typo = g_strdup (ready);
  typo[20] = typo[20] == '9' ? '8' : typo[20] + 1;
  type_into (find, typo);
  g_signal_emit_by_name (find, "activate");
  g_assert_true (shows_text (f.counter.window, "probably mistyped"));
  g_assert_cmpstr (ow_pickup_page_get_detail (page), ==, "empty");
  screenshot (&f, "pickup-typo.png");

  /* The applicant's ID: their ready result, to hand over. */
  type_into (find, APPLICANT_ID);
  g_signal_emit_by_name (find, "activate");
  wait_for_detail (&f, "handover");
  g_assert_false (shows_text (f.counter.window, "probably mistyped"));

  /* Not ready: where it is, with the working days left. */
  type_into (find, waiting);
  g_signal_emit_by_name (find, "activate");
  wait_for_detail (&f, "where");
  g_assert_cmpstr (where_title (&f), ==, "Not Ready Yet");
  g_assert_nonnull (strstr (where_description (&f), "Accepted, under review"));
  g_assert_nonnull (strstr (where_description (&f), "海口市市场监督管理局"));
  g_assert_nonnull (strstr (where_description (&f), "working days left"));
  screenshot (&f, "pickup-not-ready.png");

  /* Another hall's: which hall. */
  type_into (find, elsewhere);
  g_signal_emit_by_name (find, "activate");
  wait_for_detail (&f, "where");
  g_assert_cmpstr (where_title (&f), ==, "Another Hall's Case");
  g_assert_nonnull (strstr (where_description (&f), "46020001"));

  /* Escape: back to scanning. */
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.clear", NULL);
  g_assert_cmpstr (ow_pickup_page_get_detail (page), ==, "empty");
  fixture_stop (&f);
}

static void
test_mail (void)
{
  Fixture f = { 0 };
  g_autofree char *case_no = NULL;
  g_autofree char *list = NULL;
  JsonObject *event = NULL;
  OwPickupPage *page;
  GtkWidget *waybill;

  fixture_start (&f, OW_TEST_COUNTER_DEFAULT);
  case_no = put_case (&f, "46010001", f.clerk, "王五", OTHER_ID, TRUE, 1);
  ow_test_counter_log_in (&f.counter, "pickup");
  page = page_of (&f);
  wait_for_rows (&f, "post", 1);
  /* Nothing to pick up: the list says so (its placeholder outlives the lists' refills). */
  g_assert_true (shows_text (page, "No result waits for pick-up."));
  ow_pickup_page_find (page, case_no);
  wait_for_detail (&f, "mail");
  g_assert_true (shows_text (page, "海南省海口市龙华区滨海大道1号"));

  /* EMS is the first carrier: a waybill one digit off fails its check digit. */
  waybill = find_entry_row (page, "Waybill number");
  type_into (waybill, "EA123456784CN");
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  g_assert_true (shows_text (page, "check digit"));
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (f.counter.context)), ==, 0);
  screenshot (&f, "pickup-bad-waybill.png");

  type_into (waybill, "ea 1234 5678 5cn");
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  wait_for_detail (&f, "empty");
  wait_sent (&f);
  g_assert_cmpuint (platform_events (&f, case_no, "mailed", &event), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (event, "waybill"), ==, "EA123456785CN");
  g_assert_cmpstr (json_object_get_string_member (event, "carrier"), ==, "ems");
  g_clear_pointer (&event, json_object_unref);
  wait_for_rows (&f, "mailed", 1);

  /* The courier's hand-over list of the day. */
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.print-mail-list", NULL);
  list = spooled_text_with (&f, "邮件交接清单");
  g_assert_nonnull (strstr (list, "EA123456785CN"));
  g_assert_nonnull (strstr (list, "揽收人签名"));

  /* The carrier says it arrived. */
  ow_pickup_page_find (page, case_no);
  wait_for_detail (&f, "mail");
  g_assert_true (shows_text (page, "EA123456785CN"));
  screenshot (&f, "pickup-mailed.png");
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  wait_for_detail (&f, "empty");
  wait_sent (&f);
  g_assert_cmpuint (platform_events (&f, case_no, "delivered", NULL), ==, 1);
  fixture_stop (&f);
}

static void
test_offline (void)
{
  Fixture f = { 0 };
  g_autofree char *case_no = NULL;
  g_autoptr(GError) error = NULL;
  OwPickupPage *page;

  fixture_start (&f, OW_TEST_COUNTER_DEFAULT);
  case_no = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 1);
  ow_test_counter_log_in (&f.counter, "pickup");
  page = page_of (&f);
  wait_for_rows (&f, "pickup", 1);

  g_assert_true (ow_test_platform_stop (f.counter.platform));
  ow_pickup_page_find (page, case_no);
  wait_for_detail (&f, "handover");
  type_into (find_entry_row (page, "Applicant's ID number"), APPLICANT_ID);
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  wait_for_detail (&f, "done");
  g_assert_cmpuint (ow_sync_get_pending (ow_context_get_sync (f.counter.context)), ==, 1);

  g_assert_true (ow_test_platform_restart (f.counter.platform, &error));
  g_assert_no_error (error);
  wait_sent (&f);
  ow_sync_kick (ow_context_get_sync (f.counter.context));
  wait_sent (&f);
  g_assert_cmpuint (platform_events (&f, case_no, "handed-over", NULL), ==, 1);
  fixture_stop (&f);
}

static void
test_rating_monitor (void)
{
  Fixture f = { 0 };
  GdkDisplay *display;
  GdkMonitor *monitor;
  g_autoptr(GdkMonitor) first = NULL;
  g_autofree char *case_no = NULL;
  OwRatingWindow *window;
  OwPickupPage *page;

  fixture_start (&f, OW_TEST_COUNTER_DEFAULT);
  display = gtk_widget_get_display (GTK_WIDGET (f.counter.window));
  first = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  g_assert_nonnull (first);
  g_test_message ("monitor: %s", gdk_monitor_get_connector (first));

  /* Chosen in the settings and connected: full screen on it. */
  window = ow_rating_window_new (GTK_WINDOW (f.counter.window), "食品经营许可（新办）");
  monitor = ow_rating_window_present_on (window, gdk_monitor_get_connector (first));
  g_assert_true (monitor == first);
  ow_test_gui_settle (200);
  g_assert_null (gtk_window_get_transient_for (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Not connected: over the counter's window, modal. */
  window = ow_rating_window_new (GTK_WINDOW (f.counter.window), NULL);
  g_assert_null (ow_rating_window_present_on (window, "HDMI-9"));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (window)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window))
                 == GTK_WINDOW (f.counter.window));
  /* Keyboard: Alt+4 chooses, Escape declines. */
  ow_rating_window_choose (window, OW_RATING_DISSATISFIED);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                   find_level (window, "Dissatisfied"))));
  gtk_window_destroy (GTK_WINDOW (window));

  /* With the applicant's screen set, a hand-over asks for the rating there by itself. */
  g_settings_set_string (ow_context_get_settings (f.counter.context), "rating-monitor",
                         gdk_monitor_get_connector (first));
  case_no = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 1);
  ow_test_counter_log_in (&f.counter, "pickup");
  page = page_of (&f);
  wait_for_rows (&f, "pickup", 1);
  ow_pickup_page_find (page, case_no);
  wait_for_detail (&f, "handover");
  type_into (find_entry_row (page, "Applicant's ID number"), APPLICANT_ID);
  gtk_widget_activate_action (GTK_WIDGET (page), "pickup.confirm", NULL);
  wait_for_detail (&f, "done");
  ow_test_gui_wait_until (window_open, page, "the rating window on the applicant's screen");
  window = OW_RATING_WINDOW (ow_pickup_page_get_rating_window (page));
  g_assert_null (gtk_window_get_transient_for (GTK_WINDOW (window)));
  ow_rating_window_choose (window, OW_RATING_VERY_SATISFIED);
  ow_rating_window_submit (window);
  wait_toast ("Thank you");
  g_settings_reset (ow_context_get_settings (f.counter.context), "rating-monitor");
  fixture_stop (&f);
}

/* The same steps in Chinese, for the screenshots. */
static void
test_screenshots_zh (void)
{
  Fixture f = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *typo = NULL;
  g_autofree char *localedir = g_build_filename (g_getenv ("OW_BUILD_DIR"), "po", NULL);
  OwPickupPage *page;

  /* gtk_test_init() set the C locale, under which gettext ignores LANGUAGE. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fixture_start (&f, OW_TEST_COUNTER_DEFAULT);
  first = put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, 1);
  g_free (put_case (&f, "46010001", f.clerk, "张三", APPLICANT_ID, FALSE, -1));
  g_free (put_case (&f, "46010001", f.clerk, "王五", OTHER_ID, TRUE, 1));
  ow_test_counter_log_in (&f.counter, "pickup");
  page = page_of (&f);
  wait_for_rows (&f, "pickup", 1);
  screenshot (&f, "pickup-lists-zh.png");
  ow_pickup_page_find (page, first);
  wait_for_detail (&f, "handover");
  screenshot (&f, "pickup-handover-zh.png");
  typo = g_strdup (first);
  typo[20] = typo[20] == '9' ? '8' : typo[20] + 1;
  ow_pickup_page_find (page, typo);
  screenshot (&f, "pickup-typo-zh.png");
  {
    OwRatingWindow *window = ow_rating_window_new (GTK_WINDOW (f.counter.window),
                                                   "食品经营许可（新办）");

    ow_rating_window_present_on (window, NULL);
    ow_test_gui_settle (300);
    ow_test_gui_screenshot (GTK_WIDGET (window), "pickup-rating-zh.png");
    gtk_window_destroy (GTK_WINDOW (window));
  }
  fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);
  /* The feed, two platforms' worth of cases, printing: longer than the default wait. */
  ow_test_gui_set_wait_seconds (60);

  g_test_add_func ("/pickup/handover", test_handover);
  g_test_add_func ("/pickup/agent", test_agent);
  g_test_add_func ("/pickup/find", test_find);
  g_test_add_func ("/pickup/mail", test_mail);
  g_test_add_func ("/pickup/offline", test_offline);
  g_test_add_func ("/pickup/rating-monitor", test_rating_monitor);
  g_test_add_func ("/pickup/screenshots-zh", test_screenshots_zh);
  return g_test_run ();
}
