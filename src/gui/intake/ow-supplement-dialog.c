/* ow-supplement-dialog.c — a case back with its supplements (补正): find it, tick what arrived,
 * accept it and print the 受理通知书
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What goes where. The state moves by the two steps of the one state machine:
 * supplement-received (SUPPLEMENT_REQUESTED → RECEIVED), then accepted (RECEIVED → ACCEPTED),
 * each saved locally with its POST in the outbox by ow_sync_submit_case_event_async(). The law
 * has a case whose supplements are complete accepted that day, so its promised date is counted
 * again from today. The events carry what changes with them (HACKING.md, "Case events"):
 * supplement-received the lines that arrived, accepted the new promised date and the acceptance
 * notice's number. The sync engine applies them to the stored case as the platform does, so the
 * counter, the platform and the changes feed's copy all agree; nothing is saved beside them.
 *
 * Each step runs once: a failed one is tried again from where it stopped when the clerk presses
 * Accept again, and a case the dialog finds half-way (RECEIVED) is taken up from there.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-error.h"
#include "core/ow-mask.h"
#include "documents/ow-document.h"
#include "gui/printing/ow-counter-document.h"
#include "gui/intake/ow-material-row.h"
#include "gui/scanning/ow-scan-dialog.h"
#include "gui/intake/ow-supplement-dialog.h"
#include "gui/shell/ow-window.h"

/* The platform keeps at most this many characters of an event's note. */
#define NOTE_MAX_CHARS 2000

/* A line of the supplement notice: a material that was missing or had to be corrected. */
typedef struct
{
  char *material_id;
  char *name;
  gboolean required;
  guint originals;        /* what the catalog asks for: recorded as received on paper */
  guint copies;
  char *subtitle;         /* what the notice said of it */
  AdwActionRow *row;      /* owned by the list */
  GtkCheckButton *check;  /* owned by its row */
  GtkWidget *scan_button; /* owned by its row */
  /* What the pages dialog stored (ow-scan-dialog.h); the line is sent as scanned with files. */
  GPtrArray *files;       /* SHA-256 hex, or NULL */
  GPtrArray *pages;       /* OwScanPage, to open the pages dialog again; or NULL */
  GPtrArray *imports;     /* OwScanImport, or NULL */
} Line;

struct _OwSupplementDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkEntry *case_entry;
  GtkLabel *status_label;
  GtkWidget *case_box;
  AdwActionRow *case_row;
  AdwActionRow *applicant_row;
  AdwActionRow *items_row;
  AdwActionRow *notice_row;
  AdwActionRow *promised_row;
  GtkListBox *lines_list;
  GtkLabel *hint_label;
  GtkButton *accept_button;
  GtkSpinner *spinner;

  OwContext *context;
  OwScanDialog *scan_dialog; /* the pages dialog of @scanning while it is open (weak) */
  Line *scanning;
  GCancellable *cancellable;
  GWeakRef parent;          /* where the toasts go, also after the dialog closed */
  guint lookup;             /* the lookup whose answer counts; earlier answers are dropped */
  gboolean looking_up;

  OwCase *kase;             /* the case to accept, as last loaded or saved here; else NULL */
  GPtrArray *items;         /* OwItem, complete: the case's items as the catalog has them */
  char *case_no;
  gboolean from_platform;   /* fetched from the platform, not yet kept in the local store */
  GPtrArray *lines;         /* Line */
  GDate promised;           /* if accepted today; invalid without a calendar */
  guint promised_limit;
  gboolean provisional;

  /* Accepting, one step after the other (see advance()). */
  gboolean saving;          /* a step is under way: the dialog does not close */
  gboolean committed;       /* a step has saved something: the ticks are final */
  gboolean recorded;        /* the acceptance notice's number is taken */
  char **arrived;           /* the material ids ticked when Accept was first pressed */
  GDateTime *accepted_at;
  char *document_no;        /* of the 受理通知书, taken once */
  char *step_error;

  /* Printing may outlive the dialog: what it needs is kept until finalize. */
  gboolean printing;
  OwCounterDocument *notice; /* once rendered; a job of it that failed goes again */
  char *print_error;        /* the case is saved; only its notice is missing */
  gboolean disposed;
};

G_DEFINE_FINAL_TYPE (OwSupplementDialog, ow_supplement_dialog, ADW_TYPE_WINDOW)

static void advance       (OwSupplementDialog *self);
static void update_accept (OwSupplementDialog *self);

static void
line_free (Line *line)
{
  g_free (line->material_id);
  g_free (line->name);
  g_free (line->subtitle);
  g_clear_pointer (&line->files, g_ptr_array_unref);
  g_clear_pointer (&line->pages, g_ptr_array_unref);
  g_clear_pointer (&line->imports, g_ptr_array_unref);
  g_free (line);
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

static void
add_parent_toast (OwSupplementDialog *self,
                  AdwToast           *toast)
{
  g_autoptr(GtkWidget) parent = g_weak_ref_get (&self->parent);
  GtkWidget *overlay = NULL;

  if (parent != NULL && OW_IS_WINDOW (parent))
    {
      ow_window_add_toast (OW_WINDOW (parent), toast);
      return;
    }
  if (parent != NULL)
    overlay = gtk_widget_get_ancestor (parent, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* @style: NULL, "error" or "warning". */
static void
show_status (OwSupplementDialog *self,
             const char         *message,
             const char         *style)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
}

static void
format_date (const GDate *date,
             char        *text,
             gsize        size)
{
  if (date == NULL || !g_date_valid (date))
    g_strlcpy (text, "—", size);
  else
    g_date_strftime (text, size, "%Y-%m-%d", date);
}

static void
hall_date_of (GDateTime *when,
              GDate     *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, ow_hall_time_zone ());

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

static OwCase *
copy_case (OwCase *kase)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (ow_case_serialize (kase));

  return ow_case_deserialize (variant, NULL);
}

/* @material_id in the case's items as the catalog has them (@items: complete OwItem). */
static OwMaterial *
find_catalog_material (GPtrArray  *items,
                       const char *material_id)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      OwMaterial *material = ow_item_find_material (g_ptr_array_index (items, i), material_id);

      if (material != NULL)
        return material;
    }
  return NULL;
}

/* The promised limit in working days: the longest of the case's items, as at intake. An item
 * the catalog no longer lists keeps the limit first promised (from the notice's day to its
 * promised date). */
static guint
get_promised_limit (OwSupplementDialog *self,
                    OwCase             *kase)
{
  OwCatalog *catalog = ow_context_get_catalog (self->context);
  OwCalendar *calendar = ow_context_get_calendar (self->context);
  GPtrArray *items = ow_case_get_items (kase);
  guint limit = 0;
  gboolean all_known = catalog != NULL;

  for (guint i = 0; all_known && i < items->len; i++)
    {
      const OwCaseItem *case_item = g_ptr_array_index (items, i);
      g_autoptr(OwItem) item = ow_catalog_dup_item (catalog, case_item->item_id);

      if (item == NULL)
        all_known = FALSE;
      else
        limit = MAX (limit, ow_item_get_promised_limit (item));
    }
  if (all_known)
    return limit;

  if (calendar != NULL && ow_case_get_received_at (kase) != NULL
      && g_date_valid (ow_case_get_promised_date (kase)))
    {
      GDate decided;

      hall_date_of (ow_case_get_received_at (kase), &decided);
      return ow_calendar_count_working_days (calendar, &decided,
                                             ow_case_get_promised_date (kase), NULL, 0);
    }
  return limit;
}

/* The promised completion date if the case is accepted on @day: the time limit starts again on
 * the day the supplements are complete, that day itself not counted. */
static void
count_promised (OwSupplementDialog *self,
                const GDate        *day)
{
  OwCalendar *calendar = ow_context_get_calendar (self->context);

  g_date_clear (&self->promised, 1);
  self->provisional = FALSE;
  if (calendar != NULL)
    ow_calendar_add_working_days (calendar, day, self->promised_limit, &self->promised,
                                  &self->provisional);
}

/* ---------------------------------------------------------------------------------------- */
/* Whether the case can be accepted, and why not */

static guint
count_missing (OwSupplementDialog *self,
               GString            *names)
{
  guint missing = 0;

  for (guint i = 0; self->lines != NULL && i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      if (!line->required || gtk_check_button_get_active (line->check))
        continue;
      if (names != NULL)
        g_string_append_printf (names, "%s%s", missing > 0 ? "、" : "", line->name);
      missing++;
    }
  return missing;
}

static void
update_accept (OwSupplementDialog *self)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *owned_hint = NULL;
  const char *hint = NULL;
  const char *label = _("_Accept and Print Notice");
  gboolean busy = self->saving || self->printing;
  gboolean can_accept = FALSE;
  gboolean show_hint = TRUE;
  guint missing;

  if (self->disposed)
    return;

  missing = count_missing (self, names);
  if (busy)
    hint = _("Saving the case and printing the notice…");
  else if (self->print_error != NULL)
    {
      hint = self->print_error;
      label = _("_Retry Printing");
      can_accept = TRUE;
    }
  else if (self->context == NULL || ow_context_get_user (self->context) == NULL)
    hint = _("Log in to accept cases.");
  else if (self->kase == NULL)
    {
      /* The line under the number says it already: what was wrong, or that it is looked up. */
      show_hint = FALSE;
      if (gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
        hint = gtk_label_get_text (self->status_label);
      else
        hint = _("Type or scan the number on the supplement notice.");
    }
  else if (self->scanning != NULL)
    {
      /* Translators: %s is the name of a material whose pages dialog is open */
      owned_hint = g_strdup_printf (_("Finish scanning %s first."), self->scanning->name);
      hint = owned_hint;
    }
  else if (self->step_error != NULL && missing == 0)
    {
      hint = self->step_error;
      can_accept = TRUE;
    }
  else if (missing > 0)
    {
      /* Translators: the count, then the names of the materials still missing */
      owned_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u required material has not arrived yet: %s.",
                                                 "%u required materials have not arrived yet: "
                                                 "%s.", missing), missing, names->str);
      hint = owned_hint;
    }
  else if (!g_date_valid (&self->promised))
    hint = _("The working-day calendar is not loaded, so the promised date cannot be counted. "
             "Log in again.");
  else
    {
      char due[16];

      format_date (&self->promised, due, sizeof due);
      owned_hint = g_strdup_printf (_("Ready. Promised completion: %s%s."), due,
                                    self->provisional ? _(" (provisional)") : "");
      hint = owned_hint;
      can_accept = TRUE;
    }

  gtk_label_set_text (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), show_hint && hint != NULL);
  if (hint != NULL && (hint == self->step_error || hint == self->print_error))
    gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");

  /* The button says why it cannot be pressed, to the pointer and to a screen reader. */
  gtk_button_set_label (self->accept_button, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->accept_button), can_accept ? NULL : hint);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->accept_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint != NULL ? hint : "",
                                  -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "supplement.accept", can_accept && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "supplement.find", !busy);
  /* Not insensitive: a focused entry made insensitive strands its cursor (GTK 4.8 warns). */
  gtk_editable_set_editable (GTK_EDITABLE (self->case_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lines_list), !busy && !self->committed);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy || self->looking_up);
  gtk_spinner_set_spinning (self->spinner, busy || self->looking_up);
}

static void
line_toggled_cb (OwSupplementDialog *self)
{
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Scanning a supplement: the intake page's pages dialog (ow-scan-dialog.h), as a checklist line
 * opens it (ow-material-row.c). Done there stores the pages as one PDF named by its SHA-256; the
 * line is then ticked and goes out as scanned with those files, which the sync engine uploads
 * before the event. */

static void
show_line_pages (Line *line)
{
  g_autofree char *pages = NULL;
  g_autofree char *subtitle = NULL;

  if (line->pages != NULL && line->imports != NULL)
    pages = ow_material_row_describe_pages (line->pages->len, line->imports->len);
  subtitle = pages != NULL ? g_strdup_printf ("%s · %s", line->subtitle, pages)
                           : g_strdup (line->subtitle);
  adw_action_row_set_subtitle (line->row, subtitle);
}

static void
forget_scan_dialog (OwSupplementDialog *self)
{
  if (self->scan_dialog == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->scan_dialog, self);
  g_object_remove_weak_pointer (G_OBJECT (self->scan_dialog), (gpointer *) &self->scan_dialog);
  self->scan_dialog = NULL;
  self->scanning = NULL;
}

static void
pages_stored_cb (OwSupplementDialog *self,
                 OwScanDialog       *dialog)
{
  Line *line = self->scanning;
  GPtrArray *files = ow_scan_dialog_get_files (dialog);

  g_assert (line != NULL);
  g_clear_pointer (&line->files, g_ptr_array_unref);
  g_clear_pointer (&line->pages, g_ptr_array_unref);
  g_clear_pointer (&line->imports, g_ptr_array_unref);
  line->files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (line->files, g_strdup (g_ptr_array_index (files, i)));
  line->pages = ow_scan_dialog_dup_pages (dialog);
  line->imports = ow_scan_dialog_dup_imports (dialog);

  show_line_pages (line);
  /* Pages in hand are a material that arrived; without any it may still have come on paper. */
  if (line->files->len > 0)
    gtk_check_button_set_active (line->check, TRUE);
  update_accept (self);
}

static void
scan_dialog_destroyed_cb (OwSupplementDialog *self,
                          OwScanDialog       *dialog)
{
  forget_scan_dialog (self);
  update_accept (self);
}

static void
scan_clicked_cb (OwSupplementDialog *self,
                 GtkButton          *button)
{
  Line *line = NULL;

  if (self->saving || self->printing || self->committed || self->scan_dialog != NULL)
    return;
  for (guint i = 0; i < self->lines->len && line == NULL; i++)
    if (((Line *) g_ptr_array_index (self->lines, i))->scan_button == GTK_WIDGET (button))
      line = g_ptr_array_index (self->lines, i);
  g_return_if_fail (line != NULL);

  self->scanning = line;
  self->scan_dialog = ow_scan_dialog_new (GTK_WINDOW (self), self->context, line->name,
                                          line->pages, line->imports);
  g_object_add_weak_pointer (G_OBJECT (self->scan_dialog), (gpointer *) &self->scan_dialog);
  g_signal_connect_object (self->scan_dialog, "stored", G_CALLBACK (pages_stored_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scan_dialog, "destroy", G_CALLBACK (scan_dialog_destroyed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Accept waits until the pages are stored or the pages dialog is closed. */
  update_accept (self);
  gtk_window_present (GTK_WINDOW (self->scan_dialog));
}

/* ---------------------------------------------------------------------------------------- */
/* Showing the case */

static void
clear_case (OwSupplementDialog *self)
{
  GtkWidget *child;

  if (self->scan_dialog != NULL)
    {
      OwScanDialog *dialog = self->scan_dialog;

      forget_scan_dialog (self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  g_clear_object (&self->kase);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->case_no, g_free);
  self->from_platform = FALSE;
  g_ptr_array_set_size (self->lines, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lines_list))) != NULL)
    gtk_list_box_remove (self->lines_list, child);
  gtk_widget_set_visible (self->case_box, FALSE);
  g_date_clear (&self->promised, 1);
  self->provisional = FALSE;

  self->committed = FALSE;
  self->recorded = FALSE;
  g_clear_pointer (&self->arrived, g_strfreev);
  g_clear_pointer (&self->accepted_at, g_date_time_unref);
  g_clear_pointer (&self->document_no, g_free);
  g_clear_pointer (&self->step_error, g_free);
  g_clear_pointer (&self->print_error, g_free);
  g_clear_object (&self->notice);
}

static gboolean
is_listed (const OwCaseMaterial *material)
{
  /* What the notice asked for: every line missing, and every line with a correction to make. */
  return material->status == OW_MATERIAL_STATUS_MISSING
         || material->status == OW_MATERIAL_STATUS_TOLERATED
         || (material->note != NULL && *material->note != '\0');
}

static void
add_line (OwSupplementDialog   *self,
          const OwCaseMaterial *material)
{
  OwMaterial *wanted = find_catalog_material (self->items,
                                              material->material_id);
  gboolean noted = material->note != NULL && *material->note != '\0';
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *scan_name = NULL;
  GtkWidget *row, *check, *scan;
  Line *line;

  line = g_new0 (Line, 1);
  line->material_id = g_strdup (material->material_id);
  line->name = g_strdup (material->name);
  /* A correction the clerk asked for is required whatever the catalog says; so is anything the
   * catalog cannot vouch for. */
  line->required = noted || material->status == OW_MATERIAL_STATUS_TOLERATED || wanted == NULL
                   || ow_material_get_required (wanted);
  line->originals = wanted != NULL ? ow_material_get_originals (wanted) : 1;
  line->copies = wanted != NULL ? ow_material_get_copies (wanted) : 0;
  if (ow_material_status_is_provided (material->status)
      && (material->originals > 0 || material->copies > 0))
    {
      line->originals = material->originals;
      line->copies = material->copies;
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), material->name);
  if (line->required)
    subtitle = g_strdup (noted ? material->note : _("Not handed in"));
  else
    /* Translators: a line the applicant need not bring; %s says what was wrong or missing */
    subtitle = g_strdup_printf (_("Optional · %s"), noted ? material->note : _("Not handed in"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  line->subtitle = g_steal_pointer (&subtitle);
  line->row = ADW_ACTION_ROW (row);

  /* The applicant may bring it as a file, or the counter keeps a scan of the paper. */
  /* No mnemonic: every line has one, and its accessible name says which line. */
  scan = gtk_button_new_with_label (_("Scan"));
  gtk_widget_set_valign (scan, GTK_ALIGN_CENTER);
  /* Translators: %s is the name of a material, e.g. 营业执照 */
  scan_name = g_strdup_printf (_("Scan %s"), material->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scan), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  scan_name, -1);
  gtk_widget_set_tooltip_text (scan, scan_name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scan);
  line->scan_button = scan;
  g_signal_connect_object (scan, "clicked", G_CALLBACK (scan_clicked_cb), self,
                           G_CONNECT_SWAPPED);

  check = gtk_check_button_new_with_label (_("Arrived"));
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Translators: how a screen reader names the check box of a material; %s is its name */
  accessible = g_strdup_printf (_("Arrived: %s"), material->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  /* The row names its activatable widget by its title as well: "Arrived: 营业执照 营业执照". */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  line->check = GTK_CHECK_BUTTON (check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (line_toggled_cb), self,
                           G_CONNECT_SWAPPED);

  g_ptr_array_add (self->lines, line);
  gtk_list_box_append (self->lines_list, row);
}

static void
fill_summary (OwSupplementDialog *self)
{
  const OwApplicant *applicant = ow_case_get_applicant (self->kase);
  GSettings *settings = ow_context_get_settings (self->context);
  GPtrArray *items = ow_case_get_items (self->kase);
  g_autoptr(GString) item_names = g_string_new (NULL);
  g_autofree char *formatted = ow_case_number_format (self->case_no);
  g_autofree char *title = NULL;
  g_autofree char *who = NULL;
  g_autofree char *masked_id = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *promised = NULL;
  OwMaskPolicy mask;
  char day[16], due[16];

  /* Translators: %s is a case number */
  title = g_strdup_printf (_("Case %s"), formatted);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->case_row), title);
  adw_action_row_set_subtitle (self->case_row, ow_case_state_to_label (ow_case_get_state (
                                                                         self->kase)));

  /* The clerk sees the applicant in person: the name whole, the ID number as the hall masks
   * it, enough to match the card in the applicant's hand. */
  ow_mask_policy_init_default (&mask);
  mask.id_head = g_settings_get_uint (settings, "mask-id-head");
  mask.id_tail = g_settings_get_uint (settings, "mask-id-tail");
  if (applicant != NULL)
    {
      masked_id = ow_mask_id (&mask, applicant->id_number);
      who = masked_id != NULL ? g_strdup_printf ("%s · %s", applicant->name, masked_id)
                              : g_strdup (applicant->name);
    }
  adw_action_row_set_subtitle (self->applicant_row, who != NULL ? who : "—");

  for (guint i = 0; i < items->len; i++)
    {
      const OwCaseItem *item = g_ptr_array_index (items, i);

      g_string_append_printf (item_names, "%s%s", i > 0 ? "\n" : "", item->name);
    }
  adw_action_row_set_subtitle (self->items_row, item_names->str);

  if (ow_case_get_received_at (self->kase) != NULL)
    {
      GDate issued;

      hall_date_of (ow_case_get_received_at (self->kase), &issued);
      format_date (&issued, day, sizeof day);
    }
  else
    format_date (NULL, day, sizeof day);
  notice = ow_case_get_document_no (self->kase) != NULL
           ? g_strdup_printf ("%s · %s", day, ow_case_get_document_no (self->kase))
           : g_strdup (day);
  adw_action_row_set_subtitle (self->notice_row, notice);

  format_date (&self->promised, due, sizeof due);
  /* Translators: the promised completion date, then the time limit in working days */
  promised = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u working day)",
                                           "%s (%u working days)", self->promised_limit),
                              due, self->promised_limit);
  if (self->provisional)
    {
      g_autofree char *marked = g_strconcat (promised, _(" (provisional)"), NULL);

      adw_action_row_set_subtitle (self->promised_row, marked);
    }
  else
    adw_action_row_set_subtitle (self->promised_row, promised);
}

/* Shows @kase (taking it) when it waits for supplements; says why not otherwise. */
static void
show_case (OwSupplementDialog *self,
           OwCase             *kase,
           gboolean            from_platform)
{
  const OwUser *user = ow_context_get_user (self->context);
  OwCaseState state = ow_case_get_state (kase);
  g_autofree char *formatted = ow_case_number_format (ow_case_get_case_no (kase));
  g_autofree char *message = NULL;
  GPtrArray *materials;

  if (user != NULL && g_strcmp0 (ow_case_get_hall (kase), user->hall) != 0)
    /* Translators: a case number, then a hall's code */
    message = g_strdup_printf (_("Case %s belongs to another hall (%s) and can only be accepted "
                                 "there."), formatted, ow_case_get_hall (kase));
  else if (state == OW_CASE_STATE_ACCEPTED)
    {
      char due[16];

      format_date (ow_case_get_promised_date (kase), due, sizeof due);
      /* Translators: a case number, then its promised completion date */
      message = g_strdup_printf (_("Case %s is already accepted, to be completed by %s: there is "
                                   "nothing to supplement."), formatted, due);
    }
  else if (state != OW_CASE_STATE_SUPPLEMENT_REQUESTED && state != OW_CASE_STATE_RECEIVED)
    /* Translators: a case number, then its state (“Refused”, “Handed over” …) */
    message = g_strdup_printf (_("Case %s is “%s”: there is nothing to supplement."), formatted,
                               ow_case_state_to_label (state));
  if (message != NULL)
    {
      show_status (self, message, "warning");
      gtk_editable_select_region (GTK_EDITABLE (self->case_entry), 0, -1);
      gtk_widget_grab_focus (GTK_WIDGET (self->case_entry));
      update_accept (self);
      return;
    }

  self->kase = g_object_ref (kase);
  self->case_no = g_strdup (ow_case_get_case_no (kase));
  self->from_platform = from_platform;
  self->promised_limit = get_promised_limit (self, kase);
  {
    GDate today;

    ow_hall_today (&today);
    count_promised (self, &today);
  }

  materials = ow_case_get_materials (kase);
  for (guint i = 0; i < materials->len; i++)
    if (is_listed (g_ptr_array_index (materials, i)))
      add_line (self, g_ptr_array_index (materials, i));
  fill_summary (self);

  show_status (self, from_platform ? _("Taken in at another counter: fetched from the platform.")
                                   : NULL, NULL);
  gtk_widget_set_visible (self->case_box, TRUE);
  if (self->lines->len > 0)
    gtk_widget_grab_focus (GTK_WIDGET (((Line *) g_ptr_array_index (self->lines, 0))->check));
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding the case: the local store first, then the platform */

typedef struct
{
  OwSupplementDialog *self;
  OwStore *store;
  char *case_no;
  guint generation;
  OwCase *kase;
  gboolean from_platform;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->store);
  g_clear_object (&lookup->kase);
  g_free (lookup->case_no);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static gboolean
lookup_is_current (Lookup *lookup)
{
  return !lookup->self->disposed && lookup->generation == lookup->self->lookup;
}

static void
lookup_failed (OwSupplementDialog *self,
               const char         *message)
{
  self->looking_up = FALSE;
  show_status (self, message, "error");
  gtk_editable_select_region (GTK_EDITABLE (self->case_entry), 0, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->case_entry));
  update_accept (self);
}

static void
case_items_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  OwSupplementDialog *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = ow_catalog_load_items_finish (OW_CATALOG (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !lookup_is_current (lookup))
    return;
  /* Unreadable, the items ask for nothing more than the case says: every line stays as the
   * clerk marks it. */
  if (items == NULL)
    g_warning ("The case's service items cannot be read: %s", error->message);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&items);
  self->looking_up = FALSE;
  show_case (self, lookup->kase, lookup->from_platform);
}

/* Shows @kase once the catalog's word on its items is loaded (they are listed by their summary
 * only until then). */
static void
show_case_with_items (OwSupplementDialog *self,
                      Lookup             *found,
                      OwCase             *kase,
                      gboolean            from_platform)
{
  OwCatalog *catalog = ow_context_get_catalog (self->context);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  GPtrArray *items = ow_case_get_items (kase);
  Lookup *lookup;

  if (catalog == NULL)
    {
      self->looking_up = FALSE;
      show_case (self, kase, from_platform);
      return;
    }
  for (guint i = 0; items != NULL && i < items->len; i++)
    g_strv_builder_add (builder, ((const OwCaseItem *) g_ptr_array_index (items, i))->item_id);
  ids = g_strv_builder_end (builder);
  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->generation = found->generation;
  lookup->kase = g_object_ref (kase);
  lookup->from_platform = from_platform;
  ow_catalog_load_items_async (catalog, (const char * const *) ids, self->cancellable,
                               case_items_loaded_cb, lookup);
}

static void
case_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  OwSupplementDialog *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = ow_client_get_case_finish (OW_CLIENT (source), result, &error);
  g_autofree char *formatted = NULL;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !lookup_is_current (lookup))
    return;
  if (kase != NULL)
    {
      show_case_with_items (self, lookup, kase, TRUE);
      return;
    }

  formatted = ow_case_number_format (lookup->case_no);
  if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_NOT_FOUND))
    /* Translators: %s is a case number */
    message = g_strdup_printf (_("Case %s is not known on this counter or on the platform. "
                                 "Check the number on the notice."), formatted);
  else if (g_error_matches (error, OW_PLATFORM_ERROR, OW_PLATFORM_ERROR_UNREACHABLE))
    /* Translators: %s says why the platform cannot be reached */
    message = g_strdup_printf (_("The case is not on this counter and the platform cannot be "
                                 "reached: %s; try again when the status bar shows online."),
                               error->message);
  else
    /* Translators: %s is the platform's error */
    message = g_strdup_printf (_("The case is not on this counter and the platform did not "
                                 "return it: %s"), error->message);
  lookup_failed (self, message);
}

static void
load_case_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Lookup *lookup = task_data;
  GError *error = NULL;
  OwCase *kase = ow_store_load_case (lookup->store, lookup->case_no, &error);

  if (kase == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, kase, g_object_unref);
}

static void
case_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (source);
  Lookup *lookup = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = g_task_propagate_pointer (G_TASK (result), &error);
  Lookup *fetch;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !lookup_is_current (lookup))
    return;
  if (kase != NULL)
    {
      show_case_with_items (self, lookup, kase, FALSE);
      return;
    }
  if (!g_error_matches (error, OW_STORE_ERROR, OW_STORE_ERROR_NOT_FOUND))
    {
      /* Translators: %s is the database's error */
      g_autofree char *message = g_strdup_printf (_("The local database could not be read: %s"),
                                                  error->message);
      lookup_failed (self, message);
      return;
    }

  /* Another counter took it in. */
  fetch = g_new0 (Lookup, 1);
  fetch->self = g_object_ref (self);
  fetch->case_no = g_strdup (lookup->case_no);
  fetch->generation = lookup->generation;
  ow_client_get_case_async (ow_context_get_client (self->context), lookup->case_no,
                            self->cancellable, case_fetched_cb, fetch);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->case_entry))));
  g_autofree char *case_no = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GTask) task = NULL;
  Lookup *lookup;

  if (self->saving || self->printing || self->context == NULL)
    return;

  clear_case (self);
  self->lookup++;
  self->looking_up = FALSE;
  if (*text == '\0')
    {
      show_status (self, _("Type or scan the number on the supplement notice."), NULL);
      update_accept (self);
      return;
    }

  if (!ow_case_qr_parse (text, &case_no, NULL))
    {
      g_autoptr(GError) error = NULL;

      if (g_ascii_strncasecmp (text, "OW1:", 4) == 0)
        message = g_strdup (_("This QR code is not one that OneWindow prints. Scan the code on "
                              "the supplement notice, or type the case number."));
      else if (!ow_case_number_parse (text, NULL, &error))
        /* Translators: what was typed, then what is wrong with it */
        message = g_strdup_printf (_("“%s” is not a case number: %s"), text, error->message);
      else
        message = g_strdup_printf (_("“%s” is not a case number."), text);
      lookup_failed (self, message);
      return;
    }

  /* As printed on the notice, so that the clerk can compare. */
  formatted = ow_case_number_format (case_no);
  gtk_editable_set_text (GTK_EDITABLE (self->case_entry), formatted);
  gtk_editable_set_position (GTK_EDITABLE (self->case_entry), -1);
  /* Translators: %s is a case number */
  message = g_strdup_printf (_("Looking up case %s…"), formatted);
  show_status (self, message, NULL);
  self->looking_up = TRUE;
  update_accept (self);

  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->store = g_object_ref (ow_context_get_store (self->context));
  lookup->case_no = g_steal_pointer (&case_no);
  lookup->generation = self->lookup;
  task = g_task_new (self, self->cancellable, case_loaded_cb, NULL);
  g_task_set_source_tag (task, find_activated);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  g_task_run_in_thread (task, load_case_thread);
}

static void
case_entry_activated_cb (OwSupplementDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "supplement.find", NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Accepting, step by step: keep a fetched case → supplement received (with the arrived lines)
 * → take the notice's number → accepted (with the new promised date and that number) → print */

static void
step_failed (OwSupplementDialog *self,
             const char         *message)
{
  self->saving = FALSE;
  g_free (self->step_error);
  self->step_error = g_strdup (message);
  update_accept (self);
}

/* The callbacks of the steps hold a reference: a step that ends after the window went (the
 * application quit) stops there, and the next start of the dialog takes the case up. */
static gboolean
step_is_stale (OwSupplementDialog *self,
               const GError       *error)
{
  return self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
remote_kept_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (step_is_stale (self, error))
        return;
      /* Translators: %s is the database's error */
      message = g_strdup_printf (_("The case could not be kept on this counter: %s. Nothing "
                                   "was changed; try again."), error->message);
      step_failed (self, message);
      return;
    }
  if (self->disposed)
    return;
  self->from_platform = FALSE;
  advance (self);
}

static void
keep_remote_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  OwStore *store = g_object_get_data (G_OBJECT (task), "ow-store");
  GError *error = NULL;

  /* A change of this counter still waiting for the case would win; there is none for a case
   * taken in elsewhere, and the events below would then apply to that one, which is right. */
  if (ow_store_save_remote_case (store, task_data, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
keep_remote_case (OwSupplementDialog *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, remote_kept_cb, NULL);

  g_task_set_source_tag (task, keep_remote_case);
  g_task_set_task_data (task, copy_case (self->kase), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "ow-store",
                          g_object_ref (ow_context_get_store (self->context)), g_object_unref);
  g_task_run_in_thread (task, keep_remote_thread);
}

static Line *
find_line (OwSupplementDialog *self,
           const char         *material_id)
{
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      if (g_strcmp0 (line->material_id, material_id) == 0)
        return line;
    }
  return NULL;
}

static char *
truncate_note (GString *note)
{
  if (g_utf8_strlen (note->str, -1) > NOTE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (note->str, 0, NOTE_MAX_CHARS - 1);

      return g_strconcat (cut, "…", NULL);
    }
  return g_strdup (note->str);
}

/* What the platform's timeline keeps of the step; in Chinese, like every record of the hall. */
static char *
describe_event (OwSupplementDialog *self,
                OwCaseEventKind     kind)
{
  g_autoptr(GString) note = g_string_new (NULL);

  if (kind == OW_CASE_EVENT_SUPPLEMENT_RECEIVED)
    {
      g_string_append (note, "收到补正材料：");
      for (guint i = 0; self->arrived != NULL && self->arrived[i] != NULL; i++)
        {
          OwCaseMaterial *material = ow_case_find_material (self->kase, self->arrived[i]);
          Line *line = find_line (self, self->arrived[i]);

          g_string_append_printf (note, "%s%s%s", i > 0 ? "、" : "",
                                  material != NULL ? material->name : self->arrived[i],
                                  line != NULL && line->files != NULL && line->files->len > 0
                                  ? "（扫描件）" : "");
        }
      if (self->arrived == NULL || self->arrived[0] == NULL)
        g_string_append (note, "无");
      g_string_append (note, "。");
    }
  else
    {
      char due[16];

      /* For people reading the timeline; the event's own members carry the date and number. */
      format_date (&self->promised, due, sizeof due);
      g_string_append_printf (note, "补正材料已收齐，予以受理。受理通知书：%s；承诺办结日期：%s。",
                              self->document_no != NULL ? self->document_no : "",
                              due);
    }
  return truncate_note (note);
}

typedef struct
{
  OwSupplementDialog *self;
  OwJsonCaseEvent *event;
} EventData;

static void
event_submitted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EventData *data = user_data;
  g_autoptr(OwSupplementDialog) self = data->self;
  g_autoptr(OwJsonCaseEvent) event = data->event;
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (!ow_sync_submit_case_event_finish (OW_SYNC (source), result, &error))
    {
      g_autofree char *message = NULL;

      if (step_is_stale (self, error))
        return;
      /* Translators: %s says why; the ticks stay as they are */
      message = g_strdup_printf (_("The case was not saved: %s. Nothing was lost; try again."),
                                 error->message);
      step_failed (self, message);
      return;
    }
  if (self->disposed)
    return;

  /* The store now holds the case moved on and amended by the event; this copy follows, as the
   * notice is printed from it. */
  ow_case_apply_event (self->kase, event->kind, NULL);
  ow_json_case_event_amend (event, self->kase, NULL, NULL);
  self->committed = TRUE;
  advance (self);
}

/* The lines ticked as arrived, as supplement-received carries them: brought on paper at the
 * counter, in the numbers the catalog asks for, or scanned with the files the pages dialog
 * stored; what the notice said of them is done with. */
static GPtrArray *
dup_arrived_lines (OwSupplementDialog *self)
{
  GPtrArray *arrived = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      OwCaseMaterial *material;

      if (self->arrived == NULL
          || !g_strv_contains ((const char * const *) self->arrived, line->material_id))
        continue;
      material = ow_case_material_new (line->material_id, line->name);
      material->status = OW_MATERIAL_STATUS_PAPER;
      material->originals = line->originals;
      material->copies = line->copies;
      if (line->files != NULL && line->files->len > 0)
        {
          material->status = OW_MATERIAL_STATUS_SCANNED;
          material->files = g_ptr_array_new_with_free_func (g_free);
          for (guint j = 0; j < line->files->len; j++)
            g_ptr_array_add (material->files, g_strdup (g_ptr_array_index (line->files, j)));
        }
      g_ptr_array_add (arrived, material);
    }
  return arrived;
}

static void
submit_event (OwSupplementDialog *self,
              OwCaseEventKind     kind)
{
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *note = describe_event (self, kind);
  g_autoptr(GPtrArray) arrived = NULL;
  OwJsonCaseEvent event = { 0 };
  EventData *data;

  event.id = id;
  event.kind = kind;
  event.at = kind == OW_CASE_EVENT_ACCEPTED ? self->accepted_at : now;
  event.note = note;
  g_date_clear (&event.promised_date, 1);
  if (kind == OW_CASE_EVENT_SUPPLEMENT_RECEIVED)
    event.materials = arrived = dup_arrived_lines (self);
  else if (kind == OW_CASE_EVENT_ACCEPTED)
    {
      /* The clock starts again today (accept_activated() counted it). */
      event.promised_date = self->promised;
      event.document_no = self->document_no;
    }

  data = g_new0 (EventData, 1);
  data->self = g_object_ref (self);
  data->event = ow_json_case_event_copy (&event);
  ow_sync_submit_case_event_async (ow_context_get_sync (self->context), self->case_no, &event,
                                   user->username, self->cancellable, event_submitted_cb, data);
}

typedef struct
{
  /* in */
  OwStore *store;
  char *case_no;
  GDate today;
  char *hall_name;
  guint counter;
  /* in and out: taken once, kept across retries */
  char *document_no;
} RecordData;

static void
record_data_free (RecordData *data)
{
  g_clear_object (&data->store);
  g_free (data->case_no);
  g_free (data->hall_name);
  g_free (data->document_no);
  g_free (data);
}

/* The next number of the counter's documents this year, as the intake page takes them. */
static char *
take_document_no (RecordData  *data,
                  GError     **error)
{
  int year = g_date_get_year (&data->today);
  guint sequence = ow_store_next_document_sequence (data->store, year, error);

  if (sequence == 0)
    return NULL;
  return ow_counter_document_number (data->hall_name, data->counter, OW_DOCUMENT_ACCEPTANCE,
                                     year, sequence);
}

static void
record_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RecordData *data = task_data;
  GError *error = NULL;
  g_autoptr(OwCase) kase = ow_store_load_case (data->store, data->case_no, &error);

  if (kase == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (ow_case_get_state (kase) != OW_CASE_STATE_RECEIVED)
    {
      /* Translators: %s is the case's state now */
      g_task_return_new_error (task, OW_CORE_ERROR, OW_CORE_ERROR_ILLEGAL_TRANSITION,
                               _("the case changed meanwhile and is now “%s”"),
                               ow_case_state_to_label (ow_case_get_state (kase)));
      return;
    }

  /* Only the number is taken here: the accepted event carries it, with the promised date, and
   * the sync engine keeps both on the case with the event's outbox entry. */
  if (data->document_no == NULL && (data->document_no = take_document_no (data, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
recorded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (source);
  RecordData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* A number once taken is the notice's, also when saving failed after it. */
  if (self->document_no == NULL && !self->disposed)
    self->document_no = g_strdup (data->document_no);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (step_is_stale (self, error))
        return;
      message = g_strdup_printf (_("The case was not saved: %s. Nothing was lost; try again."),
                                 error->message);
      step_failed (self, message);
      return;
    }
  if (self->disposed)
    return;
  self->recorded = TRUE;
  advance (self);
}

/* Takes the acceptance notice's number, once, for the accepted event and the notice. */
static void
record_supplements (OwSupplementDialog *self)
{
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GTask) task = NULL;
  RecordData *data = g_new0 (RecordData, 1);

  data->store = g_object_ref (ow_context_get_store (self->context));
  data->case_no = g_strdup (self->case_no);
  hall_date_of (self->accepted_at, &data->today);
  data->hall_name = g_strdup (user->hall_name);
  data->counter = user->counter;
  data->document_no = g_strdup (self->document_no);

  task = g_task_new (self, self->cancellable, recorded_cb, NULL);
  g_task_set_source_tag (task, record_supplements);
  g_task_set_task_data (task, data, (GDestroyNotify) record_data_free);
  g_task_run_in_thread (task, record_thread);
}

/* ---------------------------------------------------------------------------------------- */
/* The 受理通知书, through the counter's print queue */

/* The case is saved whatever happens here: a failure is the notice's alone. */
static void
print_done (OwSupplementDialog *self,
            const char         *failure)
{
  g_autofree char *formatted = ow_case_number_format (self->case_no);
  g_autofree char *message = NULL;
  AdwToast *toast;

  self->printing = FALSE;
  if (failure == NULL)
    {
      /* Translators: %s is the case number */
      message = g_strdup_printf (_("Case %s accepted with its supplements; notice printed"),
                                 formatted);
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 5);
      add_parent_toast (self, toast);
      if (!self->disposed)
        gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  message = g_strdup_printf (_("Case %s saved, but the notice was not printed: %s"), formatted,
                             failure);
  if (self->disposed)
    {
      /* The dialog was closed meanwhile: the job waits in Print Jobs for a retry. */
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Print Jobs"));
      adw_toast_set_action_name (toast, "win.show-print-jobs");
      add_parent_toast (self, toast);
      return;
    }
  g_free (self->print_error);
  self->print_error = g_steal_pointer (&message);
  update_accept (self);
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OwSupplementDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean printed;

  printed = ow_counter_document_print_finish (OW_COUNTER_DOCUMENT (source), result, &error);
  g_assert (printed || error != NULL);
  print_done (self, printed ? NULL : error->message);
}

static void
rendered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OwSupplementDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ow_counter_document_render_finish (OW_COUNTER_DOCUMENT (source),
                                                             result, &error);

  if (pdf == NULL)
    {
      g_autofree char *formatted = ow_case_number_format (self->case_no);
      g_autofree char *message = g_strdup_printf (_("Case %s saved, but the notice could not "
                                                    "be made: %s"), formatted, error->message);
      AdwToast *toast;

      self->printing = FALSE;
      if (!self->disposed)
        {
          g_free (self->print_error);
          self->print_error = g_steal_pointer (&message);
          update_accept (self);
          return;
        }
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 0);
      add_parent_toast (self, toast);
      return;
    }

  /* Kept, so that Retry Printing sends the job that failed again rather than a new notice. */
  g_set_object (&self->notice, OW_COUNTER_DOCUMENT (source));
  ow_counter_document_print_async (self->notice, NULL, NULL, printed_cb, g_object_ref (self));
}

/* Not cancellable: the case is accepted, its notice must come out, also when the clerk closes
 * the dialog meanwhile. On the printer set for acceptance notices, else the notice printer. */
static void
print_notice (OwSupplementDialog *self)
{
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCounterDocument) notice = NULL;

  self->saving = FALSE;
  self->printing = TRUE;
  g_clear_pointer (&self->print_error, g_free);
  update_accept (self);

  if (self->notice != NULL)
    {
      ow_counter_document_print_async (self->notice, NULL, NULL, printed_cb,
                                       g_object_ref (self));
      return;
    }

  /* Like the intake page's notice, with two differences: the date the materials were complete
   * is today's (the notice says when the application was complete, which a supplemented one
   * was only now), and the number is the acceptance notice's own, not the supplement
   * notice's. */
  kase = copy_case (self->kase);
  ow_case_set_received_at (kase, self->accepted_at);
  notice = ow_counter_document_new (self->context, OW_DOCUMENT_ACCEPTANCE, kase);
  ow_counter_document_set_document_no (notice, self->document_no);
  ow_counter_document_set_issued (notice, self->accepted_at);
  ow_counter_document_render_async (notice, NULL, rendered_cb, g_object_ref (self));
}

/* Runs the next step the case needs; each step's callback comes back here. */
static void
advance (OwSupplementDialog *self)
{
  OwCaseState state = ow_case_get_state (self->kase);

  if (self->from_platform)
    keep_remote_case (self);
  else if (state == OW_CASE_STATE_SUPPLEMENT_REQUESTED)
    submit_event (self, OW_CASE_EVENT_SUPPLEMENT_RECEIVED);
  else if (state == OW_CASE_STATE_RECEIVED && !self->recorded)
    record_supplements (self);
  else if (state == OW_CASE_STATE_RECEIVED)
    submit_event (self, OW_CASE_EVENT_ACCEPTED);
  else if (state == OW_CASE_STATE_ACCEPTED)
    print_notice (self);
  else
    g_assert_not_reached ();
}

static void
accept_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (widget);

  if (self->saving || self->printing || self->kase == NULL || self->scan_dialog != NULL
      || ow_context_get_user (self->context) == NULL)
    return;
  if (self->print_error != NULL)
    {
      print_notice (self);
      return;
    }
  if (count_missing (self, NULL) > 0 || !g_date_valid (&self->promised))
    return;
  if (ow_context_get_sync (self->context) == NULL)
    {
      step_failed (self, _("The local database is not open; cases cannot be saved."));
      return;
    }

  /* What arrived is what was ticked now; once a step saved something it is final. */
  if (!self->committed)
    {
      g_autoptr(GStrvBuilder) arrived = g_strv_builder_new ();

      for (guint i = 0; i < self->lines->len; i++)
        {
          Line *line = g_ptr_array_index (self->lines, i);

          if (gtk_check_button_get_active (line->check))
            g_strv_builder_add (arrived, line->material_id);
        }
      g_clear_pointer (&self->arrived, g_strfreev);
      self->arrived = g_strv_builder_end (arrived);
      g_clear_pointer (&self->accepted_at, g_date_time_unref);
      self->accepted_at = g_date_time_new_now_utc ();

      /* The dialog may have stood open over midnight. */
      {
        GDate day;

        hall_date_of (self->accepted_at, &day);
        count_promised (self, &day);
        fill_summary (self);
        if (!g_date_valid (&self->promised))
          {
            update_accept (self);
            return;
          }
      }
    }
  g_clear_pointer (&self->step_error, g_free);
  self->saving = TRUE;
  update_accept (self);
  advance (self);
}

/* ---------------------------------------------------------------------------------------- */

/* Half-saved work cannot be walked away from; a print under way goes on without the dialog. */
static gboolean
ow_supplement_dialog_close_request (GtkWindow *window)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (window);

  if (self->saving)
    return TRUE;
  return GTK_WINDOW_CLASS (ow_supplement_dialog_parent_class)->close_request (window);
}

static void
ow_supplement_dialog_dispose (GObject *object)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->scan_dialog != NULL)
    {
      OwScanDialog *dialog = self->scan_dialog;

      forget_scan_dialog (self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_SUPPLEMENT_DIALOG);
  g_clear_object (&self->context);
  g_clear_object (&self->kase);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (ow_supplement_dialog_parent_class)->dispose (object);
}

static void
ow_supplement_dialog_finalize (GObject *object)
{
  OwSupplementDialog *self = OW_SUPPLEMENT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_weak_ref_clear (&self->parent);
  g_free (self->case_no);
  g_strfreev (self->arrived);
  g_clear_pointer (&self->accepted_at, g_date_time_unref);
  g_free (self->document_no);
  g_free (self->step_error);
  g_clear_object (&self->notice);
  g_free (self->print_error);

  G_OBJECT_CLASS (ow_supplement_dialog_parent_class)->finalize (object);
}

static void
ow_supplement_dialog_class_init (OwSupplementDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ow_supplement_dialog_dispose;
  object_class->finalize = ow_supplement_dialog_finalize;
  window_class->close_request = ow_supplement_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/"
                                               "ow-supplement-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, case_entry);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, case_box);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, case_row);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, applicant_row);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, items_row);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, notice_row);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, promised_row);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, lines_list);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, OwSupplementDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, case_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "supplement.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "supplement.accept", NULL, accept_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "supplement.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "supplement.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_supplement_dialog_init (OwSupplementDialog *self)
{
  GtkWidget *placeholder;

  self->cancellable = g_cancellable_new ();
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  g_weak_ref_init (&self->parent, NULL);
  g_date_clear (&self->promised, 1);
  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("The supplement notice named no material."));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->lines_list, placeholder);
}

OwSupplementDialog *
ow_supplement_dialog_new (GtkWindow  *parent,
                          OwContext  *context,
                          const char *case_no)
{
  OwSupplementDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);

  self = g_object_new (OW_TYPE_SUPPLEMENT_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  g_weak_ref_set (&self->parent, parent);

  gtk_widget_grab_focus (GTK_WIDGET (self->case_entry));
  if (case_no != NULL && *case_no != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->case_entry), case_no);
      gtk_widget_activate_action (GTK_WIDGET (self), "supplement.find", NULL);
    }
  else
    update_accept (self);
  return self;
}
