/* test-idle.c — an idle window draws nothing: frames counted on the log-in and intake pages
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A counter PC in a service hall draws with software rendering: a window that redraws every
 * frame while nothing changes costs most of a core. The window is given the focus, as on a
 * counter (an unfocused window blinks no cursor), and after a settling pause shorter than
 * GTK's ten seconds of cursor blinking (the toast and the stack's transition end) the test
 * counts GdkFrameClock::after-paint over two seconds of doing nothing. What may draw: a rare
 * status change. What may not: a spinner, an animation, a fading cursor (GTK 4.8 redrew the
 * log-in page every frame for it: 112 frames in two seconds before the application turned
 * blinking off).
 */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "gui/shell/ow-window.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

/* An idle window may draw this often in two seconds, for a clock that changes a label. */
#define MAX_IDLE_FRAMES 2

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

/* Frames painted by @window while the test does nothing for two seconds. */
static guint
count_idle_frames (OwWindow   *window,
                   const char *what)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint frames = 0;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
  ow_test_gui_settle (2000);
  g_signal_handler_disconnect (clock, handler);
  g_test_message ("%s: %u frames in 2 s of idle", what, frames);
  return frames;
}

/* Gives @window the input focus, as a window manager would when the clerk clicks it: a window
 * that is not focused does not blink its cursor, and on a counter the window is always
 * focused. Xvfb has no window manager; xdotool asks the X server directly. */
static void
focus_window (OwWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  {
    const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  ow_test_gui_settle (200);
  g_assert_true (gtk_window_is_active (GTK_WINDOW (window)));
}

static void
test_idle (void)
{
  OwTestCounter counter = { 0 };
  guint frames;

  ow_test_counter_start (&counter, OW_TEST_COUNTER_DEFAULT, NULL);
  ow_test_gui_wait_until (ow_test_gui_context_settled, counter.context, "the context");
  focus_window (counter.window);
  /* Less than GTK's ten seconds of cursor blinking after the last keystroke: a blinking
   * cursor counts. */
  ow_test_gui_settle (2500);
  frames = count_idle_frames (counter.window, "log-in page");
  g_assert_cmpuint (frames, <=, MAX_IDLE_FRAMES);

  ow_test_counter_log_in (&counter, "clerk");
  /* The welcome toast goes after its timeout, the search index arrives, the status settles. */
  ow_test_gui_settle (7000);
  frames = count_idle_frames (counter.window, "intake page");
  g_assert_cmpuint (frames, <=, MAX_IDLE_FRAMES);

  ow_test_counter_stop (&counter);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/idle/frames", test_idle);
  return g_test_run ();
}
