/* ow-test-gui.h — what the GUI tests share: waiting, finding widgets, screenshots, a printer
 *
 * GTK and GLib only; ow-test-counter.h starts a whole counter against the platform.
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* How long ow_test_gui_wait_until() waits unless ow_test_gui_set_wait_seconds() says otherwise. */
#define OW_TEST_GUI_WAIT_SECONDS 30

typedef gboolean (*OwTestGuiCondition) (gpointer data);

/* gtk_test_init, the fatal-log filter below, adw_init: the start of every GUI test's main(). */
void         ow_test_gui_init               (int                *argc,
                                             char             ***argv);

/* Waiting */
void         ow_test_gui_set_wait_seconds   (guint               seconds);
void         ow_test_gui_wait_until         (OwTestGuiCondition  condition,
                                             gpointer            data,
                                             const char         *what);
void         ow_test_gui_settle             (guint               ms);

/* Finding widgets the way a screen reader user would: by the text that names them */
char        *ow_test_gui_strip_mnemonic     (const char         *text);
GPtrArray   *ow_test_gui_find_all           (gpointer            root,
                                             GType               type);
gpointer     ow_test_gui_find_first         (gpointer            root,
                                             GType               type);
GtkWidget   *ow_test_gui_find_labelled      (gpointer            root,
                                             const char         *text);
GtkWidget   *ow_test_gui_find_button        (gpointer            root,
                                             const char         *text);
GtkListBox  *ow_test_gui_find_list_with_class (gpointer          root,
                                               const char       *css_class);
GtkWidget   *ow_test_gui_find_row           (gpointer            root,
                                             GType               type,
                                             const char         *title);
GtkWidget   *ow_test_gui_find_entry_with_placeholder (gpointer   root,
                                                      const char *placeholder);
GtkWidget   *ow_test_gui_find_toplevel      (GType               type);
/* Picks the choice labelled @label in a combo row, as a clerk does; fails when there is none. */
void         ow_test_gui_choose_in_combo_row (GtkWidget         *row,
                                              const char        *label);
/* Whether the combo row offers the choice labelled @label. */
gboolean     ow_test_gui_combo_row_offers   (GtkWidget          *row,
                                             const char         *label);
void         ow_test_gui_type_text          (GtkWidget          *entry,
                                             const char         *text);

/* Screenshots */
char        *ow_test_gui_screenshot_path    (const char         *name);
void         ow_test_gui_save_screenshot    (GtkWidget          *widget,
                                             const char         *path);
void         ow_test_gui_screenshot         (GtkWidget          *widget,
                                             const char         *name);

/* A real IPP Everywhere printer that keeps what it receives (testing.md) */
guint16      ow_test_gui_pick_free_port     (void);
GSubprocess *ow_test_gui_start_printer      (const char         *spool,
                                             guint16             port,
                                             const char         *name,
                                             char              **uri);
char        *ow_test_gui_find_spooled_pdf   (const char         *dir);
guint        ow_test_gui_count_spooled_pdfs (const char         *dir);
gboolean     ow_test_gui_spool_has_pdf      (gpointer            data);
gboolean     ow_test_gui_spool_has_two_pdfs (gpointer            data);

/* What was printed, read back */
char        *ow_test_gui_pdf_text           (const char         *pdf);
char        *ow_test_gui_squeeze_spaces     (const char         *text);

/* Conditions on the application */
gboolean     ow_test_gui_toast_with_text    (gpointer            data);
gboolean     ow_test_gui_context_settled    (gpointer            data);
gboolean     ow_test_gui_entry_empty        (gpointer            data);
gboolean     ow_test_gui_sync_drained       (gpointer            data);

gboolean     ow_test_gui_fatal_log_cb       (const char         *log_domain,
                                             GLogLevelFlags      log_level,
                                             const char         *message,
                                             gpointer            user_data);

G_END_DECLS
