/* bench-start-child.c — one start of a window, timed and measured from inside, for bench-start
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures, not a test. bench-start runs this program, under the same Xvfb, either as the
 * baseline (--minimal: an AdwApplicationWindow with one label, nothing else) or as the real
 * counter (--app: OwApplication and its window on a store of the bench's), and reads the lines
 * it prints on stdout, each "<what> <value>":
 *
 *   frame MS     the first frame painted (GdkFrameClock::after-paint), ms since the process began
 *   search MS    (--app) the first frame painted and the search index of the kept catalog
 *                answering a query: the counter usable for a search
 *   login-cpu MS (--login) CPU time (all threads) from pressing Log In to idle: logged in, the
 *                catalog caught up, its index built, the outbox sent, nothing left to do
 *   login-render-cpu MS  the part of login-cpu that Mesa's software renderer took (llvmpipe:
 *                what a graphics card does on a counter PC, the CPU's under Xvfb)
 *   login-wall MS the same in wall-clock time
 *   rss KB       resident memory once idle (and, with --login, logged in)
 *
 * The process start is read from /proc (its start time in clock ticks since boot), so that
 * loading the libraries counts as it does for a person starting the app.
 */

#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "gui/shell/ow-application.h"
#include "gui/shell/ow-context.h"
#include "gui/shell/ow-window.h"

static char *opt_store;
static char *opt_platform;
static char *opt_login;
static char *opt_password = "demo";
static char *opt_query;
static gboolean opt_minimal;
static gboolean opt_app;
static int opt_settle_ms = 1500;

static gint64 login_started_cpu;
static gint64 login_started_render;
static gint64 login_started_wall;
static gint64 last_change;
static gboolean printed_frame;
static gboolean printed_search;
static gboolean logging_in;
static gboolean done;

/* ms since the process started, from its start time in /proc/self/stat. */
static double
ms_since_start (void)
{
  g_autofree char *stat = NULL;
  struct timespec now;
  char *paren;
  unsigned long long start_ticks = 0;
  long ticks = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL)
      || (paren = strrchr (stat, ')')) == NULL)
    return -1;
  /* Field 22 (starttime); after the command in parentheses come fields 3 … */
  {
    g_auto(GStrv) fields = g_strsplit (paren + 2, " ", -1);

    if (g_strv_length (fields) < 20)
      return -1;
    start_ticks = g_ascii_strtoull (fields[19], NULL, 10);
  }
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec + now.tv_nsec / 1e9) * 1000.0 - start_ticks * 1000.0 / ticks;
}

static gint64
cpu_usec (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec
         + (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

/* CPU time of the threads of Mesa's software renderer (llvmpipe), which under Xvfb draw what a
 * graphics card would: included in cpu_usec (), told apart in what is printed. */
static gint64
render_cpu_usec (void)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  long ticks = sysconf (_SC_CLK_TCK);
  const char *tid;
  gint64 total = 0;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *stat = NULL;
      char *paren;

      if (!g_file_get_contents (path, &stat, NULL, NULL)
          || strstr (stat, "(llvmpipe") == NULL || (paren = strrchr (stat, ')')) == NULL)
        continue;
      {
        g_auto(GStrv) fields = g_strsplit (paren + 2, " ", -1);

        /* Fields 14 and 15: utime and stime, in clock ticks. */
        if (g_strv_length (fields) > 13)
          total += (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10))
                   * G_USEC_PER_SEC / ticks;
      }
    }
  return total;
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (line + 6, NULL, 10);
}

static void
say (const char *what,
     double      value)
{
  printf ("%s %.1f\n", what, value);
  fflush (stdout);
}

/* ---- the baseline --------------------------------------------------------------------- */

static void
minimal_painted_cb (GdkFrameClock *clock,
                    gpointer       user_data)
{
  if (printed_frame)
    return;
  printed_frame = TRUE;
  say ("frame", ms_since_start ());
}

static gboolean
minimal_quit_cb (gpointer user_data)
{
  say ("rss", rss_kb ());
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
minimal_activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                      gtk_label_new ("OneWindow"));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (minimal_painted_cb), NULL);
  g_timeout_add (opt_settle_ms, minimal_quit_cb, app);
}

/* ---- the counter ---------------------------------------------------------------------- */

static OwWindow *window;

static void
check_search (OwContext *context)
{
  OwItemIndex *index = ow_context_get_item_index (context);
  g_autoptr(GPtrArray) results = NULL;

  if (printed_search || !printed_frame || index == NULL)
    return;
  if (opt_query == NULL)
    {
      /* What a clerk starts typing: the first two characters of an item's name. */
      g_autoptr(OwItem) first = ow_catalog_dup_item_at (ow_context_get_catalog (context), 0);
      const char *name = first != NULL ? ow_item_get_name (first) : "";
      const char *end = g_utf8_offset_to_pointer (name, MIN (2, g_utf8_strlen (name, -1)));

      opt_query = g_strndup (name, end - name);
    }
  results = ow_item_index_search (index, opt_query, NULL, 50, NULL);
  if (results->len == 0)
    return;
  printed_search = TRUE;
  say ("search", ms_since_start ());
}

static void
print_errors (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "error")
      && gtk_widget_get_visible (root))
    g_printerr ("shown: %s\n", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    print_errors (child);
}

static gboolean
is_idle (OwContext *context)
{
  OwSync *sync = ow_context_get_sync (context);
  OwItemIndex *index = ow_context_get_item_index (context);
  OwCatalog *catalog = ow_context_get_catalog (context);

  if (g_getenv ("OW_BENCH_DEBUG") != NULL)
    print_errors (GTK_WIDGET (window));
  if (g_getenv ("OW_BENCH_DEBUG") != NULL)
    g_printerr ("user %p catalog %p index %p pending %u\n", (void *) ow_context_get_user (context),
                (void *) catalog, (void *) index, sync != NULL ? ow_sync_get_pending (sync) : 0);
  if (opt_login != NULL && ow_context_get_user (context) == NULL)
    return FALSE;
  return catalog != NULL && index != NULL
         && ow_item_index_get_n_items (index) == ow_catalog_get_n_items (catalog)
         && (sync == NULL || ow_sync_get_pending (sync) == 0);
}

static gboolean
watch_cb (gpointer user_data)
{
  OwApplication *app = user_data;
  OwContext *context = ow_application_get_context (app);
  gint64 now = g_get_monotonic_time ();

  if (done)
    return G_SOURCE_REMOVE;
  check_search (context);
  if (!is_idle (context))
    {
      last_change = now;
      return G_SOURCE_CONTINUE;
    }
  /* Idle: nothing changed for the settling time. */
  if (now - last_change < (gint64) opt_settle_ms * 1000)
    return G_SOURCE_CONTINUE;
  if (logging_in)
    {
      /* The quiet period itself is not counted. */
      say ("login-cpu", (cpu_usec () - login_started_cpu) / 1000.0);
      say ("login-render-cpu", (render_cpu_usec () - login_started_render) / 1000.0);
      say ("login-wall", (last_change - login_started_wall) / 1000.0);
    }
  say ("rss", rss_kb ());
  {
    struct mallinfo2 info = mallinfo2 ();

    /* What is allocated and in use, whatever the allocator keeps back from the system. */
    say ("heap", (info.uordblks + info.hblkhd) / 1024.0);
  }
  done = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  return G_SOURCE_REMOVE;
}

static void
changed_cb (GObject    *object,
            GParamSpec *pspec,
            gpointer    user_data)
{
  last_change = g_get_monotonic_time ();
}

static GtkWidget *
find_password_entry (GtkWidget *root)
{
  if (GTK_IS_PASSWORD_ENTRY (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_password_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
press_log_in_cb (gpointer user_data)
{
  OwApplication *app = user_data;
  OwContext *context = ow_application_get_context (app);
  GtkWidget *focus;

  if (!ow_context_is_ready (context) || !printed_frame)
    return G_SOURCE_CONTINUE;
  /* The entries as the clerk types them: the user name is remembered, the password not. */
  focus = find_password_entry (GTK_WIDGET (window));
  if (focus == NULL)
    return G_SOURCE_CONTINUE;
  gtk_editable_set_text (GTK_EDITABLE (focus), opt_password);
  logging_in = TRUE;
  login_started_cpu = cpu_usec ();
  login_started_render = render_cpu_usec ();
  login_started_wall = g_get_monotonic_time ();
  last_change = login_started_wall;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.login", NULL);
  if (g_getenv ("OW_BENCH_DEBUG") != NULL)
    g_printerr ("pressed Log In (focus %s)\n", G_OBJECT_TYPE_NAME (focus));
  return G_SOURCE_REMOVE;
}

static void
app_painted_cb (GdkFrameClock *clock,
                OwApplication *app)
{
  if (printed_frame)
    return;
  printed_frame = TRUE;
  say ("frame", ms_since_start ());
  check_search (ow_application_get_context (app));
}

static void
app_startup_cb (GApplication *app)
{
  OwContext *context = ow_application_get_context (OW_APPLICATION (app));

  g_signal_connect (context, "notify::item-index", G_CALLBACK (changed_cb), NULL);
  g_signal_connect (context, "notify::catalog", G_CALLBACK (changed_cb), NULL);
  g_signal_connect (context, "notify::user", G_CALLBACK (changed_cb), NULL);
  /* The user name remembered from the last log-in: the window focuses the password. */
  if (opt_login != NULL)
    g_settings_set_string (ow_context_get_settings (context), "last-username", opt_login);
}

static void
app_activate_cb (GApplication *app)
{
  OwContext *context = ow_application_get_context (OW_APPLICATION (app));

  window = ow_window_new (OW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (app_painted_cb), app);
  g_signal_connect_swapped (context, "notify::item-index", G_CALLBACK (check_search), context);
  g_timeout_add (10, watch_cb, app);
  if (opt_login != NULL)
    g_timeout_add (20, press_log_in_cb, app);
  /* The application stays until the window goes. */
  g_application_hold (app);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_application_release), app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "minimal", 0, 0, G_OPTION_ARG_NONE, &opt_minimal, "The baseline window", NULL },
    { "app", 0, 0, G_OPTION_ARG_NONE, &opt_app, "The counter", NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &opt_store, "The counter's store", "PATH" },
    { "platform", 0, 0, G_OPTION_ARG_STRING, &opt_platform, "The platform", "URI" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &opt_login, "Log in as", "USER" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password, "… with", "PASSWORD" },
    { "query", 0, 0, G_OPTION_ARG_STRING, &opt_query, "What to search (default: the start of "
      "the first item's name)", "TEXT" },
    { "settle", 0, 0, G_OPTION_ARG_INT, &opt_settle_ms, "Quiet time that is idle", "MS" },
    { NULL }
  };
  int status;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (opt_minimal)
    {
      g_autoptr(AdwApplication) app = adw_application_new ("io.github.onewindow.BenchMinimal",
                                                           G_APPLICATION_NON_UNIQUE);

      g_signal_connect (app, "activate", G_CALLBACK (minimal_activate_cb), NULL);
      return g_application_run (G_APPLICATION (app), 1, argv);
    }
  else
    {
      g_autoptr(OwApplication) app = ow_application_new ();
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) app_argv = NULL;

      /* As a person starts it: the application reads its own options. */
      g_strv_builder_add (builder, argv[0]);
      if (opt_platform != NULL)
        g_strv_builder_add_many (builder, "--platform", opt_platform, NULL);
      if (opt_store != NULL)
        g_strv_builder_add_many (builder, "--store", opt_store, NULL);
      /* No scanner is looked for: SANE's probing is not what is measured. */
      g_strv_builder_add_many (builder, "--scanner", "none:0", NULL);
      app_argv = g_strv_builder_end (builder);
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_signal_connect_after (app, "startup", G_CALLBACK (app_startup_cb), NULL);
      /* Our window, not the application's own activate: the same window, with the hooks. */
      g_signal_connect (app, "activate", G_CALLBACK (app_activate_cb), NULL);
      status = g_application_run (G_APPLICATION (app), g_strv_length (app_argv), app_argv);
      return status;
    }
}
