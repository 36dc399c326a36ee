/* ow-intake-page.c — the comprehensive window's intake: item, materials, applicant, acceptance
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/ow-case-number.h"
#include "core/ow-clock.h"
#include "core/ow-validate.h"
#include "documents/ow-document.h"
#include "gui/intake/ow-applicant-form.h"
#include "gui/intake/ow-consult-dialog.h"
#include "gui/printing/ow-counter-document.h"
#include "gui/intake/ow-decision-panel.h"
#include "gui/intake/ow-draft-keeper.h"
#include "gui/intake/ow-drafts-dialog.h"
#include "gui/intake/ow-intake-page.h"
#include "gui/intake/ow-intake-search.h"
#include "gui/intake/ow-material-row.h"
#include "gui/printing/ow-preview-dialog.h"
#include "gui/shell/ow-focus-ring.h"

#include <gtk/gtkunixprint.h>

struct _OwIntakePage
{
  AdwBin parent_instance;

  /* template */
  GtkWidget *search_box;
  GtkSearchEntry *search_entry;
  GtkMenuButton *filter_button;
  GtkMenuButton *bundles_button;
  GtkListBox *bundles_list;
  GtkLabel *result_count_label;
  GtkStack *results_stack;
  GtkListBox *items_list;
  GtkStack *item_stack;
  GtkWidget *item_box;
  GtkLabel *item_title_label;
  GtkLabel *item_details_label;
  GtkExpander *conditions_expander;
  GtkLabel *item_conditions_label;
  GtkListBox *chosen_list;
  GtkListBox *materials_list;
  GtkWidget *remaining_paper_button;
  OwApplicantForm *applicant_form;
  GtkWidget *decision_footer;
  GtkWidget *last_case_box;
  GtkLabel *last_case_label;
  GtkLabel *accept_hint_label;
  GtkSpinner *accept_spinner;
  GtkButton *accept_button;
  OwDecisionPanel *decision_panel;

  OwContext *context;
  OwIntakeSearch *search; /* the item index and its ranked results */
  GPtrArray *items;       /* OwItem: the items applied for, in the order chosen */
  char *bundle_id;        /* the "one thing" bundle they came from, or NULL */
  GPtrArray *rows;        /* OwMaterialRow of the chosen item */
  gboolean accepting;
  gboolean take_best_pending; /* Enter came before the index could answer */
  gboolean confirming;        /* a refusal waits for the clerk's confirmation */

  char *last_case_no;     /* decided last, shown until the next applicant; or NULL */

  /* The notice of the case decided last, rendered: for Retry and Reprint. */
  OwCounterDocument *last_notice;
  char *printer_override; /* chosen in the print dialog for the next notice */

  OwDraftKeeper *keeper;  /* the form saved as typed; parked applicants */
  gboolean restoring;     /* a draft is being put back: not a change to save */
  guint picks;            /* counts the clerk's picks: a load that a later pick overtook is
                           * dropped */
  gboolean draft_failing; /* the clerk was told that drafts are not being saved */

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (OwIntakePage, ow_intake_page, ADW_TYPE_BIN)

/* The steps of an intake, in the order the clerk works and Tab goes: the keyboard's map of
 * the page (ow_intake_page_go_to_step, Ctrl+1 … Ctrl+5). */
typedef enum
{
  STEP_SEARCH = 1,
  STEP_ITEMS,
  STEP_APPLICANT,
  STEP_MATERIALS,
  STEP_DECISION,
} Step;

enum
{
  CASE_SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_accept (OwIntakePage *self);
static void schedule_draft (OwIntakePage *self);
static gboolean compute_promised (OwIntakePage *self,
                                  GDate        *promised,
                                  gboolean     *provisional);

/* ---------------------------------------------------------------------------------------- */
/* Toasts */

static void
add_toast (OwIntakePage *self,
           AdwToast     *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
add_message_toast (OwIntakePage *self,
                   const char   *message,
                   guint         timeout)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, timeout);
  add_toast (self, toast);
}

/* ---------------------------------------------------------------------------------------- */
/* Search */

static char *
describe_limit (OwItem *item)
{
  guint days = ow_item_get_promised_limit (item);

  if (days == 0)
    return g_strdup (_("done on the spot"));
  /* Translators: the promised time limit of an item */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u working day", "%u working days", days),
                          days);
}

static void add_result_clicked_cb (GtkButton    *button,
                                   OwIntakePage *self);
static void take_item_row         (OwIntakePage  *self,
                                   GtkListBoxRow *row,
                                   gboolean       add);

/* A result already in the application looks and reads as chosen: the list itself selects
 * nothing, so that moving through it changes nothing. */
static void
mark_chosen_row (OwIntakePage *self,
                 GtkWidget    *row)
{
  OwItem *item = g_object_get_data (G_OBJECT (row), "ow-item");
  gboolean chosen = item != NULL && g_ptr_array_find (self->items, item, NULL);

  if (chosen)
    gtk_widget_add_css_class (row, "ow-chosen");
  else
    gtk_widget_remove_css_class (row, "ow-chosen");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, chosen, -1);
}

static void
mark_chosen_rows (OwIntakePage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->items_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    mark_chosen_row (self, row);
}

static GtkWidget *
create_item_row (gpointer item,
                 gpointer user_data)
{
  OwIntakePage *self = user_data;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  g_autofree char *limit = describe_limit (OW_ITEM (item));
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", ow_item_get_department (item), limit);
  /* Translators: %s is a service item's name; the button adds it to the application (Shift+Enter) */
  g_autofree char *add_name = g_strdup_printf (_("Add “%s” to the application"),
                                               ow_item_get_name (item));

  /* Several items in one application: the row's + (or Shift+Enter) adds instead of choosing. */
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_focus_on_click (add, FALSE);
  /* Shift+Enter on the row does what the + does: the list stays one Tab stop. */
  gtk_widget_set_focusable (add, FALSE);
  gtk_widget_set_tooltip_text (add, add_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, add_name,
                                  -1);
  g_object_set_data_full (G_OBJECT (add), "ow-item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (add, "clicked", G_CALLBACK (add_result_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ow_item_get_name (item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_object_set_data_full (G_OBJECT (row), "ow-item", g_object_ref (item), g_object_unref);
  mark_chosen_row (self, GTK_WIDGET (row));
  return row;
}

static void
update_result_count (OwIntakePage *self)
{
  guint n = ow_intake_search_get_n_matches (self->search);
  guint shown = g_list_model_get_n_items (ow_intake_search_get_model (self->search));
  g_autofree char *text = NULL;

  if (shown < n)
    /* Translators: the best matches shown, of how many service items match the search */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The best %u of %u item",
                                         "The best %u of %u items", n), shown, n);
  else
    /* Translators: how many service items match the search */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);
  gtk_label_set_text (self->result_count_label, text);
  gtk_stack_set_visible_child_name (self->results_stack, shown > 0 ? "list" : "empty");

  if (self->take_best_pending && ow_intake_search_is_ready (self->search))
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->items_list, 0);

      self->take_best_pending = FALSE;
      if (row != NULL)
        take_item_row (self, row, FALSE);
    }
}

static void
search_changed_cb (OwIntakePage *self)
{
  ow_intake_search_set_query (self->search,
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activated_cb (OwIntakePage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkListBoxRow *row;
  g_autofree char *case_no = NULL;

  /* A receipt's QR code or a case number, from the barcode scanner or typed: not a query. */
  case_no = ow_intake_search_take_case (self->search,
                                        gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (case_no != NULL)
    {
      g_autofree char *formatted = ow_case_number_format (case_no);
      g_autofree char *message = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      /* Translators: %s is a case number */
      message = g_strdup_printf (_("Case %s scanned"), formatted);
      add_message_toast (self, message, 5);
      g_signal_emit (self, signals[CASE_SCANNED], 0, case_no);
      return;
    }

  /* Enter takes the best match, the way a clerk expects a search box to behave, and the clerk
   * goes on to the applicant: the match for what is typed now, not for what the search's
   * typing pause last saw, nor the catalog's first item while the index is still being built. */
  ow_intake_search_set_query (self->search, query);
  if (*query != '\0' && !ow_intake_search_is_ready (self->search))
    {
      self->take_best_pending = TRUE;
      return;
    }
  row = gtk_list_box_get_row_at_index (self->items_list, 0);
  if (row != NULL)
    take_item_row (self, row, FALSE);
}

/* Down from the search: into the results, where the arrows move without choosing. */
static gboolean
search_key_pressed_cb (OwIntakePage          *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  return gtk_widget_child_focus (GTK_WIDGET (self->items_list), GTK_DIR_TAB_FORWARD)
         ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* Up from the first result: back in the search, to type on. */
static gboolean
items_keynav_failed_cb (OwIntakePage     *self,
                        GtkDirectionType  direction)
{
  if (direction != GTK_DIR_UP)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
search_stopped_cb (OwIntakePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* ---------------------------------------------------------------------------------------- */
/* The chosen items and their materials */

/* Several items decided together take as long as the slowest of them. */
static guint
get_promised_limit (GPtrArray *items)
{
  guint limit = 0;

  for (guint i = 0; items != NULL && i < items->len; i++)
    limit = MAX (limit, ow_item_get_promised_limit (g_ptr_array_index (items, i)));
  return limit;
}

static void
material_row_changed_cb (OwIntakePage *self)
{
  update_accept (self);
}

static void
clear_materials (OwIntakePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->materials_list))) != NULL)
    gtk_list_box_remove (self->materials_list, child);
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_material_row (OwIntakePage *self,
                  OwMaterial   *material)
{
  OwMaterialRow *row = ow_material_row_new (material, self->context);
  GDate promised;
  gboolean provisional = FALSE;

  g_signal_connect_object (row, "notify::provided", G_CALLBACK (material_row_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::busy", G_CALLBACK (material_row_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "details-changed", G_CALLBACK (material_row_changed_cb),
                           self, G_CONNECT_SWAPPED);
  ow_material_row_set_show_note (row, ow_decision_panel_get_decision (self->decision_panel)
                                      == OW_DECISION_SUPPLEMENT);
  if (compute_promised (self, &promised, &provisional))
    ow_material_row_set_latest_due_date (row, &promised);
  gtk_list_box_append (self->materials_list, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
}

/* The materials of every chosen item, a document asked for by several items asked for once.
 * Merged over the chosen items themselves, complete, not over the context's catalog: a newer
 * revision may have come in since they were chosen, which holds none of them yet. */
static GPtrArray *
dup_merged_materials (OwIntakePage *self)
{
  g_autoptr(OwCatalog) chosen = ow_catalog_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < self->items->len; i++)
    {
      OwItem *item = g_ptr_array_index (self->items, i);

      ow_catalog_add_item (chosen, item);
      g_ptr_array_add (ids, (gpointer) ow_item_get_id (item));
    }
  g_ptr_array_add (ids, NULL);
  return ow_catalog_merge_materials (chosen, (const char * const *) ids->pdata);
}

static void
remove_chosen_clicked_cb (GtkButton    *button,
                          OwIntakePage *self);

static GtkWidget *
create_chosen_row (OwIntakePage *self,
                   OwItem       *item)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *limit = describe_limit (item);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", ow_item_get_department (item), limit);
  /* Translators: %s is a service item's name; the button takes it off the application */
  g_autofree char *remove_name = g_strdup_printf (_("Remove “%s” from the application"),
                                                  ow_item_get_name (item));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ow_item_get_name (item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_name, -1);
  g_object_set_data_full (G_OBJECT (remove), "ow-item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_chosen_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static const char *
find_bundle_name (OwIntakePage *self,
                  const char   *bundle_id)
{
  OwCatalog *catalog = self->context != NULL ? ow_context_get_catalog (self->context) : NULL;
  GPtrArray *bundles = catalog != NULL ? ow_catalog_get_bundles (catalog) : NULL;

  for (guint i = 0; bundle_id != NULL && bundles != NULL && i < bundles->len; i++)
    {
      OwBundle *bundle = g_ptr_array_index (bundles, i);

      if (g_strcmp0 (bundle->id, bundle_id) == 0)
        return bundle->name;
    }
  return NULL;
}

/* Shows the items of the application and rebuilds the checklist from their merged materials.
 * What the clerk already marked on a material that stays is kept. */
static void
show_items (OwIntakePage *self)
{
  g_autoptr(GPtrArray) materials = NULL;
  g_autoptr(GHashTable) marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) ow_case_material_free);
  g_autofree char *details = NULL;
  g_autofree char *limit_text = NULL;
  g_autoptr(GString) conditions = g_string_new (NULL);
  GtkWidget *child;
  GDate promised;
  gboolean provisional = FALSE;
  char due[16] = "";

  for (guint i = 0; i < self->rows->len; i++)
    {
      OwCaseMaterial *line = ow_material_row_to_case_material (g_ptr_array_index (self->rows, i));

      g_hash_table_replace (marked, g_strdup (line->name), line);
    }
  clear_materials (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chosen_list))) != NULL)
    gtk_list_box_remove (self->chosen_list, child);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.consult", self->items->len > 0);
  mark_chosen_rows (self);
  if (self->items->len == 0)
    {
      ow_decision_panel_set_tolerable (self->decision_panel, FALSE);
      gtk_stack_set_visible_child_name (self->item_stack, "none");
      update_accept (self);
      return;
    }

  /* The date the applicant asks for first: when will it be done, if accepted today. */
  if (compute_promised (self, &promised, &provisional))
    g_date_strftime (due, sizeof due, "%Y-%m-%d", &promised);

  if (self->items->len == 1)
    {
      OwItem *item = g_ptr_array_index (self->items, 0);
      const char *text = ow_item_get_conditions (item);

      gtk_label_set_text (self->item_title_label, ow_item_get_name (item));
      limit_text = describe_limit (item);
      /* Translators: department · promised limit · the date it gives · legal limit (in working
       * days) · item code */
      details = g_strdup_printf (_("%s · promised %s, by %s%s (legal limit %u) · code %s"),
                                 ow_item_get_department (item), limit_text, due,
                                 provisional ? _(" (provisional)") : "",
                                 ow_item_get_legal_limit (item), ow_item_get_id (item));
      if (text != NULL)
        g_string_append (conditions, text);
    }
  else
    {
      const char *bundle_name = find_bundle_name (self, self->bundle_id);
      g_autofree char *count = NULL;

      /* Translators: the heading of an application for several service items at once */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Item in One Application",
                                            "%u Items in One Application", self->items->len),
                               self->items->len);
      gtk_label_set_text (self->item_title_label, bundle_name != NULL ? bundle_name : count);
      /* Translators: how many items, then the promised completion date of them all */
      details = g_strdup_printf (_("%s · all done by %s%s; each document is asked for once"),
                                 count, due, provisional ? _(" (provisional)") : "");
      for (guint i = 0; i < self->items->len; i++)
        {
          OwItem *item = g_ptr_array_index (self->items, i);
          const char *text = ow_item_get_conditions (item);

          gtk_list_box_append (self->chosen_list, create_chosen_row (self, item));
          if (text != NULL && *text != '\0')
            g_string_append_printf (conditions, "%s%s: %s", conditions->len > 0 ? "\n" : "",
                                    ow_item_get_name (item), text);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_list), self->items->len > 1);
  gtk_label_set_text (self->item_details_label, details);
  gtk_label_set_text (self->item_conditions_label, conditions->str);
  gtk_widget_set_visible (GTK_WIDGET (self->conditions_expander), conditions->len > 0);
  gtk_expander_set_expanded (self->conditions_expander, self->items->len == 1);

  materials = dup_merged_materials (self);
  if (ow_applicant_form_get_has_agent (self->applicant_form))
    {
      /* The letter names the agent and what they may do. Material names are catalog data, in
       * Chinese: the items that expect agents list it under this name already. */
      static const char *letter_name = "授权委托书";
      OwMaterial *letter = NULL;

      for (guint i = 0; letter == NULL && i < materials->len; i++)
        if (g_strcmp0 (ow_material_get_name (g_ptr_array_index (materials, i)), letter_name) == 0)
          letter = g_ptr_array_index (materials, i);
      if (letter == NULL)
        {
          letter = ow_material_new ("authorisation-letter", letter_name);
          ow_material_set_counts (letter, 1, 0);
          ow_material_set_form (letter, OW_MATERIAL_FORM_PAPER);
          ow_material_set_source (letter, OW_MATERIAL_SOURCE_APPLICANT, "申请人自备");
          g_ptr_array_add (materials, letter);
        }
      /* The list holds copies: marking this one required changes no catalog item. */
      ow_material_set_required (letter, TRUE);
    }
  for (guint i = 0; i < materials->len; i++)
    {
      OwMaterial *material = g_ptr_array_index (materials, i);
      OwCaseMaterial *kept = g_hash_table_lookup (marked, ow_material_get_name (material));

      add_material_row (self, material);
      if (kept != NULL)
        ow_material_row_restore (g_ptr_array_index (self->rows, self->rows->len - 1), kept);
    }

  /* 容缺 is a decision only where a line may be tolerated: elsewhere it is a dead end. */
  {
    gboolean tolerable = FALSE;

    for (guint i = 0; i < self->rows->len && !tolerable; i++)
      tolerable = ow_material_get_tolerable (
                    ow_material_row_get_material (g_ptr_array_index (self->rows, i)));
    ow_decision_panel_set_tolerable (self->decision_panel, tolerable);
  }

  gtk_stack_set_visible_child_name (self->item_stack, "item");
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Items are listed by their summary; the checklist needs them complete, loaded from the store
 * in a worker. Most of the time they are held already and this answers at once. */

typedef void (*ItemsReady) (OwIntakePage *self,
                            GPtrArray    *items,
                            gpointer      data);

typedef struct
{
  OwIntakePage  *page;
  guint          pick;
  ItemsReady     ready;
  gpointer       data;
  GDestroyNotify destroy;
} ItemsLoad;

static void
items_load_free (ItemsLoad *load)
{
  if (load->destroy != NULL)
    load->destroy (load->data);
  g_object_unref (load->page);
  g_free (load);
}

static void
items_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ItemsLoad *load = user_data;
  OwIntakePage *self = load->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = ow_catalog_load_items_finish (OW_CATALOG (source), result, &error);
  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The service item cannot be read from "
                                                        "this workstation: %s"),
                                                      error->message);

          add_message_toast (self, message, 0);
        }
    }
  else if (load->pick == self->picks && self->context != NULL)
    load->ready (self, items, load->data);
  items_load_free (load);
}

/* Calls @ready with the complete items @ids (those the catalog lists, in their order), at once
 * when they are held, else once loaded, unless the clerk picked something else meanwhile.
 * Takes @data. */
static void
with_items (OwIntakePage        *self,
            const char * const  *ids,
            ItemsReady           ready,
            gpointer             data,
            GDestroyNotify       destroy)
{
  OwCatalog *catalog = self->context != NULL ? ow_context_get_catalog (self->context) : NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean all_held = TRUE;
  ItemsLoad *load;

  self->picks++;
  for (guint i = 0; catalog != NULL && ids != NULL && ids[i] != NULL && all_held; i++)
    {
      OwItem *item = ow_catalog_lookup (catalog, ids[i]);

      if (item != NULL)
        g_ptr_array_add (held, g_object_ref (item));
      else if (ow_catalog_contains (catalog, ids[i]))
        all_held = FALSE;
    }
  if (catalog == NULL || all_held)
    {
      ready (self, held, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  load = g_new0 (ItemsLoad, 1);
  load->page = g_object_ref (self);
  load->pick = self->picks;
  load->ready = ready;
  load->data = data;
  load->destroy = destroy;
  ow_catalog_load_items_async (catalog, ids, self->cancellable, items_loaded_cb, load);
}

/* The application is for @item alone, as when the clerk picks it from the results. */
static void
choose_item (OwIntakePage *self,
             OwItem       *item)
{
  if (item == NULL)
    {
      if (self->items->len == 0)
        return;
      g_ptr_array_set_size (self->items, 0);
    }
  else
    {
      if (self->items->len == 1 && g_ptr_array_index (self->items, 0) == item
          && self->bundle_id == NULL)
        return;
      g_ptr_array_set_size (self->items, 0);
      g_ptr_array_add (self->items, g_object_ref (item));
    }
  g_clear_pointer (&self->bundle_id, g_free);
  show_items (self);
}

/* Adds @item to the application: materials merged, the longest limit promised. */
static void
add_item (OwIntakePage *self,
          OwItem       *item)
{
  g_autofree char *message = NULL;

  if (g_ptr_array_find (self->items, item, NULL))
    return;
  g_ptr_array_add (self->items, g_object_ref (item));
  show_items (self);
  /* Translators: %s is a service item's name */
  message = g_strdup_printf (_("“%s” added to the application"), ow_item_get_name (item));
  add_message_toast (self, message, 3);
}

static void
remove_chosen_clicked_cb (GtkButton    *button,
                          OwIntakePage *self)
{
  OwItem *item = g_object_get_data (G_OBJECT (button), "ow-item");
  guint index;

  if (!g_ptr_array_find (self->items, item, &index))
    return;
  g_ptr_array_remove_index (self->items, index);
  /* No longer the bundle as published. */
  g_clear_pointer (&self->bundle_id, g_free);
  show_items (self);
  gtk_widget_grab_focus (self->items->len > 1 ? GTK_WIDGET (self->chosen_list)
                                               : GTK_WIDGET (self->search_entry));
}

static void
bundle_items_ready (OwIntakePage *self,
                    GPtrArray    *items,
                    gpointer      data)
{
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (items, i)));
  g_free (self->bundle_id);
  self->bundle_id = g_strdup (data);
  gtk_list_box_unselect_all (self->items_list);
  show_items (self);
}

static void
choose_bundle (OwIntakePage *self,
               OwBundle     *bundle)
{
  with_items (self, (const char * const *) bundle->item_ids, bundle_items_ready,
              g_strdup (bundle->id), g_free);
}

/* A result taken from the list: alone in the application, and on to what comes next. */
static void
taken_ready (OwIntakePage *self,
             GPtrArray    *items,
             gpointer      data)
{
  if (items->len == 0)
    return;
  choose_item (self, g_ptr_array_index (items, 0));
  ow_intake_page_go_to_step (self, ow_applicant_form_check (self->applicant_form, NULL)
                                   ? STEP_MATERIALS : STEP_APPLICANT);
}

static void
added_ready (OwIntakePage *self,
             GPtrArray    *items,
             gpointer      data)
{
  if (items->len > 0)
    add_item (self, g_ptr_array_index (items, 0));
}

/* A result row's item, complete (at once when held, else once loaded), alone in the
 * application or added to it. */
static void
pick_result (OwIntakePage *self,
             OwItem       *item,
             gboolean      add)
{
  const char *ids[] = { item != NULL ? ow_item_get_id (item) : NULL, NULL };

  if (item == NULL)
    return;
  with_items (self, ids, add ? added_ready : taken_ready, NULL, NULL);
}

/* The result in @row goes into the application — alone, or @add-ed to the items there — and
 * the focus on to what the clerk does next. */
static void
take_item_row (OwIntakePage  *self,
               GtkListBoxRow *row,
               gboolean       add)
{
  OwItem *item = g_object_get_data (G_OBJECT (row), "ow-item");

  if (item == NULL)
    return;
  pick_result (self, item, add);
}

static void
item_row_activated_cb (OwIntakePage  *self,
                       GtkListBoxRow *row)
{
  take_item_row (self, row, FALSE);
}

static void
add_result_clicked_cb (GtkButton    *button,
                       OwIntakePage *self)
{
  pick_result (self, g_object_get_data (G_OBJECT (button), "ow-item"), TRUE);
}

/* Shift+Enter (or the row's + button) adds the item instead of starting over with it. */
static gboolean
items_list_key_pressed_cb (OwIntakePage          *self,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           GtkEventControllerKey *controller)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkWidget *row;

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter)
      || (state & GDK_SHIFT_MASK) == 0 || focus == NULL)
    return GDK_EVENT_PROPAGATE;
  row = GTK_IS_LIST_BOX_ROW (focus) ? focus
        : gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
  if (row == NULL || g_object_get_data (G_OBJECT (row), "ow-item") == NULL)
    return GDK_EVENT_PROPAGATE;
  take_item_row (self, GTK_LIST_BOX_ROW (row), TRUE);
  return GDK_EVENT_STOP;
}

/* ---------------------------------------------------------------------------------------- */
/* "One thing" bundles (一件事一次办) */

static void
bundle_row_activated_cb (OwIntakePage  *self,
                         GtkListBoxRow *row)
{
  OwBundle *bundle = g_object_get_data (G_OBJECT (row), "ow-bundle");

  gtk_menu_button_popdown (self->bundles_button);
  if (bundle != NULL)
    choose_bundle (self, bundle);
}

static void
fill_bundles (OwIntakePage *self)
{
  OwCatalog *catalog = self->context != NULL ? ow_context_get_catalog (self->context) : NULL;
  GPtrArray *bundles = catalog != NULL ? ow_catalog_get_bundles (catalog) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->bundles_list))) != NULL)
    gtk_list_box_remove (self->bundles_list, child);
  for (guint i = 0; bundles != NULL && i < bundles->len; i++)
    {
      OwBundle *bundle = g_ptr_array_index (bundles, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      /* Translators: how many service items a "one thing" bundle applies for */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items",
                                               g_strv_length (bundle->item_ids)),
                                  g_strv_length (bundle->item_ids));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bundle->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "ow-bundle", ow_bundle_copy (bundle),
                              (GDestroyNotify) ow_bundle_free);
      gtk_list_box_append (self->bundles_list, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->bundles_button),
                            bundles != NULL && bundles->len > 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The applicant */

static void
applicant_changed_cb (OwIntakePage *self)
{
  update_accept (self);
}

/* An agent brings the applicant's authorisation letter (授权委托书): one more line to check. */
static void
agent_toggled_cb (OwIntakePage *self)
{
  if (self->items->len > 0)
    show_items (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Whether the case can be accepted, and why not */

/* The promised completion date if the case is decided today. */
static gboolean
compute_promised (OwIntakePage *self,
                  GDate        *promised,
                  gboolean     *provisional)
{
  GDate today;

  g_date_clear (promised, 1);
  if (self->items->len == 0 || self->context == NULL)
    return FALSE;
  ow_hall_today (&today);
  ow_calendar_add_working_days (ow_context_get_calendar (self->context), &today,
                                get_promised_limit (self->items), promised, provisional);
  return g_date_valid (promised);
}

/* Nothing of an applicant in the form yet: no item, nothing typed about them. */
static gboolean
form_is_empty (OwIntakePage *self)
{
  g_autoptr(OwApplicant) applicant = ow_applicant_form_build_applicant (self->applicant_form);

  return self->items->len == 0 && applicant->name == NULL && applicant->id_number == NULL
         && applicant->phone == NULL && applicant->contact_name == NULL
         && !ow_applicant_form_get_has_agent (self->applicant_form);
}

/* The case decided last stays in sight, with its number to copy, until the next applicant's
 * details start coming in; @kase NULL forgets it. */
static void
show_last_case (OwIntakePage *self,
                OwCase       *kase)
{
  g_autofree char *formatted = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->last_case_no, g_free);
  gtk_widget_set_visible (self->last_case_box, kase != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.copy-last-case", kase != NULL);
  if (kase == NULL)
    return;
  self->last_case_no = g_strdup (ow_case_get_case_no (kase));
  formatted = ow_case_number_format (self->last_case_no);
  switch (ow_case_get_state (kase))
    {
    case OW_CASE_STATE_REFUSED:
      /* Translators: %s is a case number */
      text = g_strdup_printf (_("Last case %s: refused"), formatted);
      break;
    case OW_CASE_STATE_SUPPLEMENT_REQUESTED:
      /* Translators: %s is a case number */
      text = g_strdup_printf (_("Last case %s: waits for supplements"), formatted);
      break;
    default:
      /* Translators: %s is a case number */
      text = g_strdup_printf (ow_case_has_tolerated (kase)
                              ? _("Last case %s: accepted with a tolerated gap")
                              : _("Last case %s: accepted"), formatted);
      break;
    }
  gtk_label_set_text (self->last_case_label, text);
}

static void
copy_last_case_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autofree char *formatted = NULL;

  if (self->last_case_no == NULL)
    return;
  formatted = ow_case_number_format (self->last_case_no);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), formatted);
  add_message_toast (self, _("Case number copied"), 2);
}

static const char *
decision_button_label (OwDecision decision)
{
  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      return _("_Accept with Gap and Print Notice");
    case OW_DECISION_SUPPLEMENT:
      return _("_Request Supplements and Print Notice");
    case OW_DECISION_REFUSE:
      return _("_Refuse and Print Notice");
    case OW_DECISION_ACCEPT:
    default:
      return _("_Accept and Print Notice");
    }
}

static void
update_accept (OwIntakePage *self)
{
  g_autofree char *applicant_problem = NULL;
  gboolean applicant_ok = ow_applicant_form_check (self->applicant_form, &applicant_problem);
  OwDecision decision = ow_decision_panel_get_decision (self->decision_panel);
  g_autofree char *panel_problem = NULL;
  gboolean panel_ok = ow_decision_panel_check (self->decision_panel, &panel_problem);
  guint missing = 0, tolerated = 0, late = 0, undated = 0, unexplained = 0, noted = 0;
  gboolean scanning = FALSE;
  gboolean materials_ok;
  gboolean can_decide;
  const char *hint;
  g_autofree char *owned_hint = NULL;
  GDate promised;
  gboolean provisional = FALSE;
  gboolean have_promised = compute_promised (self, &promised, &provisional);

  for (guint i = 0; i < self->rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (self->rows, i);
      gboolean required = ow_material_get_required (ow_material_row_get_material (row));
      gboolean wrong_date = FALSE;

      ow_material_row_set_show_note (row, decision == OW_DECISION_SUPPLEMENT);
      scanning |= ow_material_row_get_busy (row);
      noted += ow_material_row_has_note (row);
      if (ow_material_row_get_status (row) == OW_MATERIAL_STATUS_TOLERATED)
        {
          GDate due;

          tolerated++;
          if (!ow_material_row_get_due_date (row, &due))
            undated++;
          /* 容缺: the due date cannot pass the promised completion date (domain.md). */
          else if (have_promised && g_date_compare (&due, &promised) > 0)
            {
              late++;
              wrong_date = TRUE;
            }
        }
      ow_material_row_set_due_problem (row, wrong_date);
      if (required && !ow_material_row_get_provided (row)
          && ow_material_row_get_status (row) != OW_MATERIAL_STATUS_TOLERATED)
        {
          missing++;
          unexplained += !ow_material_row_has_note (row);
        }
    }

  switch (decision)
    {
    case OW_DECISION_TOLERATED:
      materials_ok = missing == 0 && tolerated > 0 && late == 0 && undated == 0;
      break;
    case OW_DECISION_SUPPLEMENT:
      materials_ok = (missing > 0 || noted > 0) && unexplained == 0 && tolerated == 0;
      break;
    case OW_DECISION_REFUSE:
      materials_ok = TRUE;
      break;
    case OW_DECISION_ACCEPT:
    default:
      materials_ok = missing == 0 && tolerated == 0;
      break;
    }

  if (self->accepting)
    hint = _("Saving the case and printing the notice…");
  else if (self->context == NULL || ow_context_get_user (self->context) == NULL)
    hint = _("Log in to accept cases.");
  else if (self->items->len == 0)
    hint = _("Choose a service item.");
  else if (decision == OW_DECISION_TOLERATED && late > 0)
    hint = _("A tolerated material is due after the promised completion date; choose an "
             "earlier due date.");
  else if (decision == OW_DECISION_TOLERATED && undated > 0)
    hint = _("Type the due date (YYYY-MM-DD) of each tolerated material.");
  else if (decision == OW_DECISION_TOLERATED && tolerated == 0)
    hint = _("Mark the materials the applicant will bring later as “Tolerated – due later”.");
  else if (decision == OW_DECISION_ACCEPT && tolerated > 0)
    hint = _("Some materials are tolerated: choose “Accept with a gap”.");
  else if (decision == OW_DECISION_SUPPLEMENT && tolerated > 0)
    hint = _("A supplement notice cannot tolerate materials: mark them missing.");
  else if (decision == OW_DECISION_SUPPLEMENT && missing == 0 && noted == 0)
    hint = _("Nothing is missing: mark what is missing or note what is wrong.");
  else if (decision == OW_DECISION_SUPPLEMENT && unexplained > 0)
    {
      /* Translators: lines of the supplement notice without a reason */
      owned_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Say what is missing or wrong for %u material.",
                                                 "Say what is missing or wrong for %u materials.",
                                                 unexplained), unexplained);
      hint = owned_hint;
    }
  else if (!materials_ok && missing > 0)
    {
      /* Translators: materials still to be provided before accepting */
      owned_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u required material is not provided yet.",
                                                 "%u required materials are not provided yet.",
                                                 missing), missing);
      hint = owned_hint;
    }
  else if (scanning)
    hint = _("Wait for the scan to finish.");
  else if (!applicant_ok)
    hint = applicant_problem != NULL ? applicant_problem
                                     : _("Fill in the applicant's name, ID number and mobile.");
  else if (!panel_ok)
    hint = panel_problem;
  else if (have_promised && (decision == OW_DECISION_ACCEPT || decision == OW_DECISION_TOLERATED))
    {
      char due[16];

      g_date_strftime (due, sizeof due, "%Y-%m-%d", &promised);
      /* Translators: %s is the promised completion date; the second %s may say it is provisional */
      owned_hint = g_strdup_printf (_("Ready. Promised completion: %s%s."), due,
                                    provisional ? _(" (provisional)") : "");
      hint = owned_hint;
    }
  else
    hint = _("Ready.");

  /* The next applicant has begun: the last case gives way. */
  if (self->last_case_no != NULL && !self->accepting && !form_is_empty (self))
    show_last_case (self, NULL);
  gtk_label_set_text (self->accept_hint_label, hint);
  gtk_button_set_label (self->accept_button, decision_button_label (decision));
  /* A refusal decides against the applicant: it looks it, and is confirmed (decide_activated). */
  if (decision == OW_DECISION_REFUSE)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->accept_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->accept_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->accept_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->accept_button), "suggested-action");
    }
  can_decide = !self->accepting && self->items->len > 0 && materials_ok && !scanning
               && applicant_ok && panel_ok && self->context != NULL
               && ow_context_get_user (self->context) != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.accept", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.print-with-dialog", can_decide);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.preview",
                                 self->items->len > 0 && applicant_ok && panel_ok
                                 && self->context != NULL
                                 && ow_context_get_user (self->context) != NULL);
  schedule_draft (self);
}

static void
decision_changed_cb (OwIntakePage *self)
{
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Printing */

static void
notice_printed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwCounterDocument *notice = OW_COUNTER_DOCUMENT (source);
  g_autoptr(OwIntakePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;

  ow_counter_document_print_finish (notice, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  display = ow_case_number_format (ow_case_get_case_no (ow_counter_document_get_case (notice)));
  if (error == NULL)
    {
      g_autofree char *message = NULL;

      switch (ow_counter_document_get_kind (notice))
        {
        case OW_DOCUMENT_TOLERATED:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s accepted with a tolerated gap; notice printed"),
                                     display);
          break;
        case OW_DOCUMENT_SUPPLEMENT:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s waits for supplements; notice printed"), display);
          break;
        case OW_DOCUMENT_REFUSAL:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s refused; notice printed"), display);
          break;
        case OW_DOCUMENT_ACCEPTANCE:
        default:
          /* Translators: %s is the case number */
          message = g_strdup_printf (_("Case %s accepted; notice printed"), display);
          break;
        }
      add_message_toast (self, message, 5);
    }
  else
    {
      g_autofree char *message = NULL;
      AdwToast *toast;

      /* Translators: the case number, then the printer's error */
      message = g_strdup_printf (_("Case %s saved, but the notice was not printed: %s"),
                                 display, error->message);
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "win.retry-print");
      add_toast (self, toast);
    }
}

/* On the printer chosen in the print dialog, else the one set for this kind of document, else
 * the notice printer; a notice whose job failed goes again as that job. */
static void
print_notice (OwIntakePage *self)
{
  g_return_if_fail (self->last_notice != NULL);

  ow_counter_document_print_async (self->last_notice, self->printer_override, self->cancellable,
                                   notice_printed_cb, g_object_ref (self));
  g_clear_pointer (&self->printer_override, g_free);
}

/* ---------------------------------------------------------------------------------------- */
/* Accepting: number → case → saved with its outbox entry → notice rendered → printed */

/* What is needed once the case is saved, the form having moved on: the page, kept alive, and
 * the case. */
typedef struct
{
  OwIntakePage *self;
  OwCase *kase;
} SubmitData;

static SubmitData *
submit_data_new (OwIntakePage *self,
                 OwCase       *kase)
{
  SubmitData *data = g_new0 (SubmitData, 1);

  data->self = g_object_ref (self);
  data->kase = g_object_ref (kase);
  return data;
}

static void
submit_data_free (SubmitData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->kase);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SubmitData, submit_data_free)

typedef struct
{
  /* in */
  OwStore *store;
  char *hall;
  guint counter;
  GDate date;
  /* The form as it was when Accept was pressed: the clerk may move on while numbers are taken. */
  GPtrArray *items;       /* OwItem */
  OwApplicant *applicant;
  OwApplicant *agent;     /* NULL when the applicant came in person */
  GPtrArray *materials;   /* OwCaseMaterial */
  OwDecision decision;
  char *refusal_reason;
  char *competent_organ;
  OwCase *delivery;       /* carries the delivery only */
  /* out */
  guint sequence;
  guint document_sequence;
} NumberData;

static void
number_data_free (NumberData *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->applicant, ow_applicant_free);
  g_clear_pointer (&data->agent, ow_applicant_free);
  g_clear_pointer (&data->materials, g_ptr_array_unref);
  g_clear_object (&data->delivery);
  g_free (data->refusal_reason);
  g_free (data->competent_organ);
  g_free (data->hall);
  g_free (data);
}

static void
take_numbers_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  NumberData *data = task_data;
  g_autoptr(GError) error = NULL;

  data->sequence = ow_store_next_sequence (data->store, data->hall, data->counter, &data->date,
                                           &error);
  if (data->sequence == 0 && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Document numbers run per counter and year. The platform is not asked: a notice must be
   * printable while it is down. */
  data->document_sequence = ow_store_next_document_sequence (data->store,
                                                             g_date_get_year (&data->date),
                                                             &error);
  if (data->document_sequence == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
notice_rendered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OwCounterDocument *notice = OW_COUNTER_DOCUMENT (source);
  g_autoptr(OwIntakePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ow_counter_document_render_finish (notice, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (pdf == NULL)
    {
      const char *case_no = ow_case_get_case_no (ow_counter_document_get_case (notice));
      g_autofree char *display = ow_case_number_format (case_no);
      g_autofree char *message = g_strdup_printf (_("Case %s saved, but the notice could not "
                                                    "be made: %s"), display, error->message);
      add_message_toast (self, message, 0);
      return;
    }

  /* Retry prints the notice of the case accepted last. */
  g_set_object (&self->last_notice, notice);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.retry-print", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.reprint", TRUE);
  print_notice (self);
}

/* The notice that goes with the case's decision. */
static OwDocumentKind
document_kind_for_case (OwCase *kase)
{
  switch (ow_case_get_state (kase))
    {
    case OW_CASE_STATE_REFUSED:
      return OW_DOCUMENT_REFUSAL;
    case OW_CASE_STATE_SUPPLEMENT_REQUESTED:
      return OW_DOCUMENT_SUPPLEMENT;
    default:
      return ow_case_has_tolerated (kase) ? OW_DOCUMENT_TOLERATED : OW_DOCUMENT_ACCEPTANCE;
    }
}

static void
case_submitted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SubmitData) submit = user_data;
  OwIntakePage *self = submit->self;
  OwCase *kase = submit->kase;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCounterDocument) notice = NULL;

  if (!ow_sync_submit_case_finish (OW_SYNC (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->accepting = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), FALSE);
  gtk_spinner_set_spinning (self->accept_spinner, FALSE);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The case was not saved: %s. Nothing was "
                                                    "lost from the form; try again."),
                                                  error->message);
      add_message_toast (self, message, 0);
      update_accept (self);
      return;
    }


  /* The case is safe in the store, and its draft went in the same transaction: the counter is
   * free for the next applicant while the notice renders and prints. Nothing the keeper holds
   * of the old form may be written again. */
  if (self->keeper != NULL)
    ow_draft_keeper_discard_current (self->keeper);
  ow_intake_page_reset (self);
  show_last_case (self, kase);

  notice = ow_counter_document_new (self->context, document_kind_for_case (kase), kase);
  ow_counter_document_render_async (notice, self->cancellable, notice_rendered_cb,
                                    g_object_ref (self));
}

static void
fail_accept (OwIntakePage *self,
             const char   *message)
{
  self->accepting = FALSE;
  g_clear_pointer (&self->printer_override, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), FALSE);
  gtk_spinner_set_spinning (self->accept_spinner, FALSE);
  add_message_toast (self, message, 0);
  update_accept (self);
}

/* The case as the form describes it, decided, numbered @case_no / @document_sequence; NULL with
 * a message for the clerk when it does not validate. */
static OwCase *
build_case (OwIntakePage *self,
            NumberData   *data,
            const char   *case_no,
            guint         document_sequence,
            gboolean     *provisional,
            GError      **error)
{
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *query_code = NULL;
  g_autofree char *document_no = NULL;
  g_autofree char *field = NULL;
  const OwUser *user = ow_context_get_user (self->context);
  OwDocumentKind kind = ow_decision_get_document_kind (data->decision);
  GDate promised;

  kase = ow_case_new (case_no);
  query_code = ow_query_code_new ();
  ow_case_set_query_code (kase, query_code);
  ow_case_set_origin (kase, user->hall, user->counter, user->username);
  now = g_date_time_new_now_utc ();
  ow_case_set_received_at (kase, now);

  g_date_clear (&promised, 1);
  ow_calendar_add_working_days (ow_context_get_calendar (self->context), &data->date,
                                get_promised_limit (data->items), &promised, provisional);
  ow_case_set_promised_date (kase, &promised);

  document_no = ow_counter_document_number (user->hall_name, user->counter, kind,
                                            g_date_get_year (&data->date), document_sequence);
  ow_case_set_document_no (kase, document_no);

  ow_case_set_applicant (kase, data->applicant);
  if (data->agent != NULL)
    ow_case_set_agent (kase, data->agent);
  ow_case_set_delivery (kase, ow_case_get_delivery (data->delivery),
                        ow_case_get_post_recipient (data->delivery),
                        ow_case_get_post_phone (data->delivery),
                        ow_case_get_post_address (data->delivery));
  for (guint i = 0; i < data->items->len; i++)
    {
      OwItem *item = g_ptr_array_index (data->items, i);

      ow_case_add_item (kase, ow_case_item_new (ow_item_get_id (item),
                                                ow_item_get_basic_code (item),
                                                ow_item_get_name (item),
                                                ow_item_get_department (item)));
    }
  for (guint i = 0; i < data->materials->len; i++)
    ow_case_add_material (kase, ow_case_material_copy (g_ptr_array_index (data->materials, i)));
  if (data->decision == OW_DECISION_REFUSE)
    ow_case_set_refusal (kase, data->refusal_reason, data->competent_organ);

  if (!ow_case_apply_event (kase, ow_decision_get_event (data->decision), error)
      || !ow_case_validate (kase, &data->date, &field, error))
    return NULL;
  return g_steal_pointer (&kase);
}

static void
numbers_taken_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OwIntakePage *self = OW_INTAKE_PAGE (source);
  NumberData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *case_no = NULL;
  const OwUser *user;
  gboolean provisional = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("No case number could be taken from the local database: %s"),
                                 error->message);
      fail_accept (self, message);
      return;
    }

  user = ow_context_get_user (self->context);
  case_no = ow_case_number_make (user->hall, user->counter, &data->date, data->sequence, &error);
  if (case_no == NULL)
    {
      fail_accept (self, error->message);
      return;
    }

  kase = build_case (self, data, case_no, data->document_sequence, &provisional, &error);
  if (kase == NULL)
    {
      /* Translators: %s says what is wrong with the case */
      g_autofree char *message = g_strdup_printf (_("The case cannot be saved: %s"),
                                                  error->message);
      fail_accept (self, message);
      return;
    }

  if (provisional)
    add_message_toast (self, _("The promised date falls in a year whose holidays are not "
                               "published yet; it may change."), 8);

  /* The draft "current" goes in the transaction that saves the case: a crash can leave the
   * form or the case, never both (restored, the draft would be accepted again). The keeper
   * wrote everything before (drafts_flushed_cb) and writes nothing while accepting. */
  ow_sync_submit_case_from_draft_async (ow_context_get_sync (self->context), kase,
                                        self->keeper != NULL ? OW_DRAFT_KEEPER_CURRENT : NULL,
                                        user->username, self->cancellable, case_submitted_cb,
                                        submit_data_new (self, kase));
  /* The items this counter accepts most come first in the search from now on. */
  {
    GPtrArray *items = ow_case_get_items (kase);

    for (guint i = 0; items != NULL && i < items->len; i++)
      ow_intake_search_note_used (self->search,
                                  ((OwCaseItem *) g_ptr_array_index (items, i))->item_id);
  }
}

/* The form as it is now: the clerk may move on while numbers are taken. */
static NumberData *
capture_form (OwIntakePage *self)
{
  const OwUser *user = ow_context_get_user (self->context);
  NumberData *data;

  data = g_new0 (NumberData, 1);
  data->store = g_object_ref (ow_context_get_store (self->context));
  data->hall = g_strdup (user->hall);
  data->counter = user->counter;
  data->items = g_ptr_array_copy (self->items, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (data->items, g_object_unref);
  data->applicant = ow_applicant_form_build_applicant (self->applicant_form);
  data->agent = ow_applicant_form_build_agent (self->applicant_form);
  data->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_case_material_free);
  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (data->materials,
                     ow_material_row_to_case_material (g_ptr_array_index (self->rows, i)));
  data->decision = ow_decision_panel_get_decision (self->decision_panel);
  if (data->decision == OW_DECISION_REFUSE)
    {
      data->refusal_reason = ow_decision_panel_dup_refusal_reason (self->decision_panel);
      data->competent_organ = ow_decision_panel_dup_competent_organ (self->decision_panel);
    }
  data->delivery = ow_case_new ("");
  ow_decision_panel_apply_delivery (self->decision_panel, data->delivery);
  /* The case number carries the hall's date, as the notice and the platform do. */
  ow_hall_today (&data->date);
  return data;
}

/* The keeper's writes of the form are done: none can land after the case's transaction, which
 * deletes "current", and bring the decided case back as a draft. */
static void
drafts_flushed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* A draft that could not be written does not stop the case (the clerk was told); being
   * cancelled does, through the task. */
  if (!ow_draft_keeper_flush_finish (OW_DRAFT_KEEPER (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, take_numbers_thread);
}

/* Saves the decision the form holds and prints its notice. */
static void
decide (OwIntakePage *self)
{
  const OwUser *user = ow_context_get_user (self->context);
  g_autoptr(GTask) task = NULL;

  if (self->accepting || user == NULL || self->items->len == 0)
    return;
  if (ow_context_get_sync (self->context) == NULL)
    {
      add_message_toast (self, _("The local database is not open; cases cannot be saved."), 0);
      return;
    }

  self->accepting = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->accept_spinner), TRUE);
  gtk_spinner_set_spinning (self->accept_spinner, TRUE);
  update_accept (self);

  task = g_task_new (self, self->cancellable, numbers_taken_cb, NULL);
  g_task_set_source_tag (task, decide);
  g_task_set_task_data (task, capture_form (self), (GDestroyNotify) number_data_free);
  /* schedule_draft() stops while accepting; what it handed over before is written first. */
  if (self->keeper != NULL)
    ow_draft_keeper_flush_async (self->keeper, self->cancellable, drafts_flushed_cb,
                                 g_steal_pointer (&task));
  else
    g_task_run_in_thread (task, take_numbers_thread);
}

static void
refusal_confirmed_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      OwIntakePage     *self)
{
  self->confirming = FALSE;
  if (g_strcmp0 (response, "refuse") == 0)
    decide (self);
  else
    g_clear_pointer (&self->printer_override, g_free);
}

/* A refusal is asked once more, naming its reason: it is the one decision against the
 * applicant, and its notice cannot be taken back. The others are made at once. */
static void
accept_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autofree char *reason = NULL;
  GtkWidget *dialog;

  if (self->accepting || self->confirming || ow_context_get_user (self->context) == NULL
      || self->items->len == 0)
    return;
  if (ow_decision_panel_get_decision (self->decision_panel) != OW_DECISION_REFUSE)
    {
      decide (self);
      return;
    }

  reason = ow_decision_panel_dup_refusal_reason (self->decision_panel);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Refuse the Application?"), NULL);
  /* Translators: %s is the reason for refusal the clerk typed */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The applicant is given a 不予受理通知书 with the reason "
                                    "“%s” and their rights to review and litigation. The "
                                    "refusal cannot be undone at the counter."), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "refuse", _("_Refuse and Print"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "refuse",
                                              ADW_RESPONSE_DESTRUCTIVE);
  /* Enter does not refuse by accident. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (refusal_confirmed_cb), self, 0);
  self->confirming = TRUE;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------------------------------- */
/* Preview: the document of the chosen decision, drawn before anything is saved */

typedef struct
{
  OwIntakePage *self;
  OwPreviewDialog *dialog;    /* weak */
} PreviewData;

static void
preview_data_free (PreviewData *data)
{
  g_clear_weak_pointer (&data->dialog);
  g_object_unref (data->self);
  g_free (data);
}

static void
preview_rendered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PreviewData *preview = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = ow_counter_document_preview_finish (OW_COUNTER_DOCUMENT (source),
                                                                   result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || preview->dialog == NULL)
    {
      preview_data_free (preview);
      return;
    }
  if (pages == NULL)
    ow_preview_dialog_set_error (preview->dialog, error->message);
  else
    ow_preview_dialog_set_pages (preview->dialog, pages);
  preview_data_free (preview);
}

static void
preview_print_cb (OwIntakePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "intake.accept", NULL);
}

static void
print_dialog_response_cb (GtkDialog    *dialog,
                          int           response,
                          OwIntakePage *self)
{
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (GTK_PRINT_UNIX_DIALOG (dialog));

  if (response == GTK_RESPONSE_OK && printer != NULL)
    {
      if (gtk_printer_is_virtual (printer))
        add_message_toast (self, _("A notice is a paper document: choose a printer, not a "
                                   "file."), 5);
      else
        {
          /* The queue follows the job at the chosen CUPS destination like any other. */
          g_free (self->printer_override);
          self->printer_override = g_strdup (gtk_printer_get_name (printer));
          gtk_widget_activate_action (GTK_WIDGET (self), "intake.accept", NULL);
          if (!self->accepting && !self->confirming)
            g_clear_pointer (&self->printer_override, g_free);
        }
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
print_with_dialog_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  GtkWidget *dialog;

  dialog = gtk_print_unix_dialog_new (_("Print Notice"),
                                      GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  /* Copies and layout come from the hall's settings; only the printer is chosen here. */
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (print_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preview_print_with_dialog_cb (OwIntakePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "intake.print-with-dialog", NULL);
}

static void
preview_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(OwCase) kase = NULL;
  g_autoptr(OwCounterDocument) document = NULL;
  g_autofree char *case_no = NULL;
  g_autofree char *title = NULL;
  NumberData *data;
  OwDocumentKind kind;
  OwPreviewDialog *dialog;
  PreviewData *preview;
  const OwUser *user = ow_context_get_user (self->context);
  gboolean provisional = FALSE;

  if (user == NULL || self->items->len == 0)
    return;

  data = capture_form (self);
  kind = ow_decision_get_document_kind (data->decision);
  /* Translators: %s is the document's Chinese title, e.g. 不予受理通知书; the numbers on a
   * preview are stand-ins until the decision is taken */
  title = g_strdup_printf (_("%s — Preview (numbers are given on printing)"),
                           ow_document_kind_get_title (kind));
  dialog = ow_preview_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), title);
  g_signal_connect_object (dialog, "print", G_CALLBACK (preview_print_cb), self,
                           G_CONNECT_SWAPPED);
  ow_preview_dialog_set_can_print (dialog, gtk_widget_is_sensitive (
                                             GTK_WIDGET (self->accept_button)));
  g_signal_connect_object (dialog, "print-with-dialog",
                           G_CALLBACK (preview_print_with_dialog_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  /* The real numbers are taken only when the decision is made: the preview shows the last
   * sequence of the day as a stand-in. */
  case_no = ow_case_number_make (user->hall, user->counter, &data->date, 9999, &error);
  if (case_no != NULL)
    kase = build_case (self, data, case_no, 0, &provisional, &error);
  number_data_free (data);
  if (kase == NULL)
    {
      ow_preview_dialog_set_error (dialog, error->message);
      return;
    }

  preview = g_new0 (PreviewData, 1);
  preview->self = g_object_ref (self);
  g_set_weak_pointer (&preview->dialog, dialog);
  document = ow_counter_document_new (self->context, kind, kase);
  ow_counter_document_preview_async (document, 96, self->cancellable, preview_rendered_cb,
                                     preview);
}

static void
retry_print_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);

  /* A failed job still in the queue goes again, where it went, rather than a second copy; the
   * printer chosen in the print dialog is the next notice's, not this one's. */
  if (self->last_notice != NULL)
    ow_counter_document_print_async (self->last_notice, NULL, self->cancellable,
                                     notice_printed_cb, g_object_ref (self));
}

static void
reprint_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     OwIntakePage     *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "ow-reason");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "reprint") != 0 || *reason == '\0' || self->last_notice == NULL)
    return;

  /* Recorded in the audit log with the reason once the printer completed it. */
  ow_counter_document_reprint_async (self->last_notice, reason, self->cancellable,
                                     notice_printed_cb, g_object_ref (self));
}

static void
reprint_reason_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "reprint", *reason != '\0');
}

static void
reprint_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autofree char *display = NULL;
  GtkWidget *dialog, *entry;

  if (self->last_notice == NULL)
    return;

  display = ow_case_number_format (ow_case_get_case_no (
                                    ow_counter_document_get_case (self->last_notice)));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Reprint the Notice?"), NULL);
  /* Translators: %s is a case number */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The notice of case %s is printed again. Say why: the "
                                    "reprint is recorded with the reason."), display);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason for reprinting"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for reprinting"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "reprint", _("_Reprint"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reprint",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reprint", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reprint");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "ow-reason", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (reprint_reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reprint_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Consultation without a case: everything about the item, and its guide to print. With several
 * items, the one whose row has the focus. */
static void
consult_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  OwItem *item;

  if (self->items->len == 0 || self->context == NULL)
    return;
  item = g_ptr_array_index (self->items, 0);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->chosen_list)))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
      int index = row != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;

      if (index >= 0 && (guint) index < self->items->len)
        item = g_ptr_array_index (self->items, index);
    }
  gtk_window_present (GTK_WINDOW (ow_consult_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                         self->context, item)));
}

static void
focus_search_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ow_intake_page_focus_search (OW_INTAKE_PAGE (widget));
}

/* ---------------------------------------------------------------------------------------- */
/* The keyboard: a step at a time, and the pile of paper in one go */

static void
undo_remaining_cb (AdwToast     *toast,
                   OwIntakePage *self)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (toast), "ow-rows");

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (rows, i);

      /* A line the clerk changed since is theirs. */
      if (g_ptr_array_find (self->rows, row, NULL)
          && ow_material_row_get_status (row) == OW_MATERIAL_STATUS_PAPER)
        ow_material_row_set_status (row, OW_MATERIAL_STATUS_MISSING);
    }
  update_accept (self);
}

/* The applicant handed the pile over: every required line not yet marked is received on
 * paper. Optional lines stay as they are: one not brought must not read as received. */
static void
remaining_on_paper_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  g_autoptr(GPtrArray) marked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *message = NULL;
  AdwToast *toast;

  for (guint i = 0; i < self->rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (self->rows, i);

      if (ow_material_get_required (ow_material_row_get_material (row))
          && ow_material_row_get_status (row) == OW_MATERIAL_STATUS_MISSING
          && ow_material_row_set_status (row, OW_MATERIAL_STATUS_PAPER))
        g_ptr_array_add (marked, g_object_ref (row));
    }
  if (marked->len == 0)
    {
      add_message_toast (self, _("Every required material is marked already."), 3);
      return;
    }
  update_accept (self);
  /* Translators: how many materials one action marked as received on paper */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u material marked as received on paper",
                                          "%u materials marked as received on paper",
                                          marked->len), marked->len);
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "ow-rows", g_steal_pointer (&marked),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_remaining_cb), self, 0);
  add_toast (self, toast);
}

/* The line the clerk deals with next: the first not yet marked, else the first. */
static GtkWidget *
first_open_material (OwIntakePage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      OwMaterialRow *row = g_ptr_array_index (self->rows, i);

      if (ow_material_row_get_status (row) == OW_MATERIAL_STATUS_MISSING)
        return GTK_WIDGET (row);
    }
  return self->rows->len > 0 ? g_ptr_array_index (self->rows, 0) : NULL;
}

static void
go_to_step_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);

  if (!ow_intake_page_go_to_step (self, g_variant_get_uint32 (parameter)))
    gtk_widget_error_bell (widget);
}

/* The page's keys, window-wide while the page shows: GtkText takes none of them (Ctrl+U is
 * its own; Ctrl+Shift+U the input method's). */
static void
add_page_shortcuts (OwIntakePage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint step = STEP_SEARCH; step <= STEP_DECISION; step++)
    {
      GtkShortcut *shortcut;

      shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_0 + step, GDK_CONTROL_MASK),
                                   gtk_named_action_new ("intake.go-to-step"));
      gtk_shortcut_set_arguments (shortcut, g_variant_new_uint32 (step));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
      shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_0 + step,
                                                           GDK_CONTROL_MASK),
                                   gtk_named_action_new ("intake.go-to-step"));
      gtk_shortcut_set_arguments (shortcut, g_variant_new_uint32 (step));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (
                                                            GDK_KEY_m, GDK_CONTROL_MASK),
                                                          gtk_named_action_new (
                                                            "intake.remaining-on-paper")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Tab from step to step, in the order of the work; each list one stop. */
static void
set_up_focus_ring (OwIntakePage *self)
{
  OwFocusRing *ring = ow_focus_ring_attach (GTK_WIDGET (self));

  ow_focus_ring_add_step (ring, self->search_box);
  ow_focus_ring_add_step (ring, GTK_WIDGET (self->items_list));
  ow_focus_ring_add_step (ring, gtk_widget_get_parent (GTK_WIDGET (self->item_details_label)));
  ow_focus_ring_add_step (ring, GTK_WIDGET (self->chosen_list));
  ow_focus_ring_add_step (ring, GTK_WIDGET (self->conditions_expander));
  ow_focus_ring_add_step (ring, GTK_WIDGET (self->applicant_form));
  ow_focus_ring_add_step (ring, gtk_widget_get_parent (self->remaining_paper_button));
  ow_focus_ring_add_step (ring, GTK_WIDGET (self->materials_list));
  ow_focus_ring_add_step (ring, GTK_WIDGET (self->decision_panel));
  ow_focus_ring_add_step (ring, self->decision_footer);
  ow_focus_ring_add_list (ring, self->items_list);
  ow_focus_ring_add_list (ring, self->chosen_list);
  ow_focus_ring_add_list (ring, self->materials_list);
}

/* ---------------------------------------------------------------------------------------- */
/* Drafts: the form saved as it is typed, back after a crash, parked while serving another */

static OwIntakeDraft *
capture_draft (OwIntakePage  *self,
               char         **title)
{
  OwIntakeDraft *draft = ow_intake_draft_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  OwApplicant *applicant = ow_applicant_form_build_applicant (self->applicant_form);
  const char *what = NULL;

  for (guint i = 0; i < self->items->len; i++)
    g_strv_builder_add (ids, ow_item_get_id (g_ptr_array_index (self->items, i)));
  draft->item_ids = g_strv_builder_end (ids);
  draft->bundle_id = g_strdup (self->bundle_id);
  /* A form with nothing typed has no applicant yet. */
  if (applicant->name != NULL || applicant->id_number != NULL || applicant->phone != NULL
      || applicant->contact_name != NULL)
    draft->applicant = applicant;
  else
    ow_applicant_free (applicant);
  draft->agent = ow_applicant_form_build_agent (self->applicant_form);
  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (draft->materials,
                     ow_material_row_to_case_material (g_ptr_array_index (self->rows, i)));
  ow_decision_panel_fill_draft (self->decision_panel, draft);

  if (title != NULL)
    {
      what = find_bundle_name (self, self->bundle_id);
      if (what == NULL && self->items->len > 0)
        what = ow_item_get_name (g_ptr_array_index (self->items, 0));
      /* Translators: a parked draft's title: the applicant's name, then the item */
      *title = g_strdup_printf (_("%s · %s"),
                                draft->applicant != NULL && draft->applicant->name != NULL
                                ? draft->applicant->name : _("Unnamed applicant"),
                                what != NULL ? what : _("no item chosen"));
    }
  return draft;
}

/* After every change; the keeper writes the last one a moment after the typing stops. */
static void
schedule_draft (OwIntakePage *self)
{
  g_autofree char *title = NULL;
  OwIntakeDraft *draft;

  if (self->keeper == NULL || self->restoring || self->accepting)
    return;
  draft = capture_draft (self, &title);
  ow_draft_keeper_schedule (self->keeper, draft, title);
}

typedef struct
{
  OwIntakeDraft *draft;
  gboolean       then_save;  /* keep the restored form as the current draft */
} Restore;

static void
restore_free (Restore *restore)
{
  ow_intake_draft_free (restore->draft);
  g_free (restore);
}

/* The second half of restore_draft(), with the draft's items complete. */
static void
draft_items_ready (OwIntakePage *self,
                   GPtrArray    *items,
                   gpointer      data)
{
  Restore *restore = data;
  OwIntakeDraft *draft = restore->draft;
  guint missing;

  self->restoring = TRUE;
  ow_intake_page_reset (self);

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (items, i)));
  missing = (draft->item_ids != NULL ? g_strv_length (draft->item_ids) : 0) - items->len;
  self->bundle_id = g_strdup (draft->bundle_id);
  /* The agent first: it adds the authorisation letter to the checklist. */
  ow_applicant_form_set (self->applicant_form, draft->applicant, draft->agent);
  show_items (self);

  for (guint i = 0; draft->materials != NULL && i < draft->materials->len; i++)
    {
      OwCaseMaterial *saved = g_ptr_array_index (draft->materials, i);

      for (guint j = 0; j < self->rows->len; j++)
        {
          OwMaterialRow *row = g_ptr_array_index (self->rows, j);

          if (g_strcmp0 (ow_material_get_name (ow_material_row_get_material (row)),
                         saved->name) == 0)
            {
              ow_material_row_restore (row, saved);
              break;
            }
        }
    }
  ow_decision_panel_restore (self->decision_panel, draft->decision, draft->refusal_reason,
                             draft->competent_organ, draft->delivery, draft->post_recipient,
                             draft->post_phone, draft->post_address);
  self->restoring = FALSE;
  update_accept (self);

  if (missing > 0)
    add_message_toast (self, _("An item of the draft is no longer in the catalog; check the "
                               "items before deciding."), 0);
  if (restore->then_save)
    schedule_draft (self);
}

/* Puts @draft (taken) back into the form, as the clerk left it, once its items are loaded;
 * @then_save keeps it as the current draft. */
static void
restore_draft (OwIntakePage  *self,
               OwIntakeDraft *draft,
               gboolean       then_save)
{
  Restore *restore = g_new0 (Restore, 1);

  restore->draft = draft;
  restore->then_save = then_save;
  with_items (self, (const char * const *) draft->item_ids, draft_items_ready, restore,
              (GDestroyNotify) restore_free);
}

static void
current_draft_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(OwIntakePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) draft = ow_draft_keeper_load_finish (OW_DRAFT_KEEPER (source),
                                                                result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The unfinished form could not be read "
                                                    "back: %s"), error->message);
      add_message_toast (self, message, 0);
      return;
    }
  /* The clerk started on someone new before the draft came back: theirs wins. */
  if (draft == NULL || ow_intake_draft_is_empty (draft) || self->items->len > 0)
    return;
  restore_draft (self, g_steal_pointer (&draft), FALSE);
  add_message_toast (self, _("The form you were filling in is back, as it was saved."), 5);
}

static void
draft_failed_cb (OwIntakePage *self,
                 const GError *error)
{
  g_autofree char *message = NULL;

  /* Once until a write succeeds again: the keeper retries on every change. */
  if (self->draft_failing)
    return;
  self->draft_failing = TRUE;
  message = g_strdup_printf (_("The form is not being saved as you type: %s"), error->message);
  add_message_toast (self, message, 0);
}

static void
draft_saved_cb (OwIntakePage *self)
{
  self->draft_failing = FALSE;
}

static void
set_up_drafts (OwIntakePage *self)
{
  OwStore *store = ow_context_get_store (self->context);

  if (store == NULL)
    return;
  if (self->keeper == NULL)
    {
      self->keeper = ow_draft_keeper_new (store);
      g_signal_connect_object (self->keeper, "failed", G_CALLBACK (draft_failed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->keeper, "saved", G_CALLBACK (draft_saved_cb), self,
                               G_CONNECT_SWAPPED);
    }
  ow_draft_keeper_load_async (self->keeper, OW_DRAFT_KEEPER_CURRENT, self->cancellable,
                              current_draft_loaded_cb, g_object_ref (self));
}

static void
show_parked_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter);

static void
parked_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OwIntakePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = ow_draft_keeper_park_finish (OW_DRAFT_KEEPER (source), result, &error);
  AdwToast *toast;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (key == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The applicant could not be parked: %s"),
                                                  error->message);
      add_message_toast (self, message, 0);
      return;
    }
  toast = adw_toast_new (_("Applicant parked; the counter is free for the next one"));
  adw_toast_set_timeout (toast, 5);
  adw_toast_set_button_label (toast, _("_Parked…"));
  adw_toast_set_action_name (toast, "win.show-parked");
  add_toast (self, toast);
}

/* Keeps the form under its own key and empties it; Resume brings it back. */
static gboolean
park_form (OwIntakePage *self)
{
  g_autofree char *title = NULL;
  OwIntakeDraft *draft;

  if (self->keeper == NULL || self->accepting)
    return FALSE;
  draft = capture_draft (self, &title);
  if (ow_intake_draft_is_empty (draft))
    {
      ow_intake_draft_free (draft);
      return FALSE;
    }
  ow_draft_keeper_park_async (self->keeper, draft, title, self->cancellable, parked_cb,
                              g_object_ref (self));
  ow_intake_draft_free (draft);
  /* Nothing more to save under "current": the park moves it. */
  self->restoring = TRUE;
  ow_intake_page_reset (self);
  self->restoring = FALSE;
  return TRUE;
}

static void
park_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);

  if (!park_form (self))
    add_message_toast (self, _("Nothing to park: the form is empty."), 3);
}

static void
resumed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OwIntakePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwIntakeDraft) draft = ow_draft_keeper_resume_finish (OW_DRAFT_KEEPER (source),
                                                                 result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (draft == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The parked applicant could not be "
                                                    "resumed: %s"),
                                                  error != NULL ? error->message : "");
      add_message_toast (self, message, 0);
      return;
    }
  restore_draft (self, g_steal_pointer (&draft), TRUE);
}

static void
resume_cb (OwIntakePage *self,
           const char   *key)
{
  /* The form is on its way into a case whose save deletes "current": resumed now, the parked
   * applicant would go with it. */
  if (self->accepting)
    {
      add_message_toast (self, _("Saving the case and printing the notice…"), 3);
      return;
    }
  /* Whoever is at the counter now is parked in turn: nothing typed is ever dropped. */
  park_form (self);
  ow_draft_keeper_resume_async (self->keeper, key, self->cancellable, resumed_cb,
                                g_object_ref (self));
}

static void
show_parked_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  OwDraftsDialog *dialog;

  if (self->keeper == NULL)
    return;
  dialog = ow_drafts_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->keeper);
  g_signal_connect_object (dialog, "resume", G_CALLBACK (resume_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_clear_cb (OwIntakePage *self)
{
  OwIntakeDraft *draft = g_object_steal_data (G_OBJECT (self), "ow-cleared-draft");

  if (draft == NULL)
    return;
  restore_draft (self, draft, TRUE);
}

/* Starts over for a new applicant; Undo in the toast brings the form back. */
static void
new_applicant_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  OwIntakePage *self = OW_INTAKE_PAGE (widget);
  OwIntakeDraft *draft;
  AdwToast *toast;

  if (self->accepting)
    return;
  draft = capture_draft (self, NULL);
  if (ow_intake_draft_is_empty (draft))
    {
      ow_intake_draft_free (draft);
      ow_intake_page_focus_search (self);
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "ow-cleared-draft", draft,
                          (GDestroyNotify) ow_intake_draft_free);
  ow_intake_page_reset (self);
  toast = adw_toast_new (_("Form cleared for a new applicant"));
  adw_toast_set_timeout (toast, 8);
  /* Queued like any other, not ADW_TOAST_PRIORITY_HIGH: libadwaita 1.2.2 aborts
   * (show_toast: !info->widget) when a high-priority toast is dismissed — Undo pressed — while
   * it still replaces the toast it pushed aside. The form is kept as long as the toast lives. */
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clear_cb), self,
                           G_CONNECT_SWAPPED);
  add_toast (self, toast);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_intake_page_dispose (GObject *object)
{
  OwIntakePage *self = OW_INTAKE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->items_list != NULL)
    gtk_list_box_bind_model (self->items_list, NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_INTAKE_PAGE);
  g_clear_object (&self->search);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->last_notice);
  g_clear_object (&self->keeper);

  G_OBJECT_CLASS (ow_intake_page_parent_class)->dispose (object);
}

static void
ow_intake_page_finalize (GObject *object)
{
  OwIntakePage *self = OW_INTAKE_PAGE (object);

  g_free (self->printer_override);
  g_free (self->bundle_id);
  g_free (self->last_case_no);

  G_OBJECT_CLASS (ow_intake_page_parent_class)->finalize (object);
}

static void
ow_intake_page_class_init (OwIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_intake_page_dispose;
  object_class->finalize = ow_intake_page_finalize;

  g_type_ensure (OW_TYPE_APPLICANT_FORM);
  g_type_ensure (OW_TYPE_DECISION_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/ow-intake-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, search_box);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, result_count_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, items_list);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_stack);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_box);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_title_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_details_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, conditions_expander);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, item_conditions_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, chosen_list);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, materials_list);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, remaining_paper_button);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, decision_footer);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, bundles_button);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, bundles_list);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, last_case_box);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, last_case_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, accept_hint_label);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, accept_spinner);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, accept_button);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, decision_panel);
  gtk_widget_class_bind_template_child (widget_class, OwIntakePage, applicant_form);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, item_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, items_keynav_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bundle_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, applicant_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, agent_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, decision_changed_cb);

  gtk_widget_class_install_action (widget_class, "intake.accept", NULL, accept_activated);
  gtk_widget_class_install_action (widget_class, "intake.preview", NULL, preview_activated);
  gtk_widget_class_install_action (widget_class, "intake.reprint", NULL, reprint_activated);
  gtk_widget_class_install_action (widget_class, "intake.print-with-dialog", NULL,
                                   print_with_dialog_activated);
  gtk_widget_class_install_action (widget_class, "intake.retry-print", NULL,
                                   retry_print_activated);
  gtk_widget_class_install_action (widget_class, "intake.focus-search", NULL,
                                   focus_search_activated);
  gtk_widget_class_install_action (widget_class, "intake.consult", NULL, consult_activated);
  gtk_widget_class_install_action (widget_class, "intake.park", NULL, park_activated);
  gtk_widget_class_install_action (widget_class, "intake.show-parked", NULL,
                                   show_parked_activated);
  gtk_widget_class_install_action (widget_class, "intake.new-applicant", NULL,
                                   new_applicant_activated);
  gtk_widget_class_install_action (widget_class, "intake.go-to-step", "u",
                                   go_to_step_activated);
  gtk_widget_class_install_action (widget_class, "intake.remaining-on-paper", NULL,
                                   remaining_on_paper_activated);
  gtk_widget_class_install_action (widget_class, "intake.copy-last-case", NULL,
                                   copy_last_case_activated);

  /**
   * OwIntakePage::case-scanned:
   * @case_no: the case number, canonical (23 characters, no hyphens)
   *
   * A receipt's QR code or a case number came into the search field — from a barcode
   * scanner's burst of keys or typed — and Enter was pressed: the applicant is back about a
   * case, not looking for an item. The page has shown a toast and cleared the field.
   */
  signals[CASE_SCANNED] = g_signal_new ("case-scanned", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ow_intake_page_init (OwIntakePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    /* Before the row's own Enter handling, which would choose the item alone. */
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (items_list_key_pressed_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->items_list), keys);
  }
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  }
  /* Typing in the results goes on in the search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->items_list));
  add_page_shortcuts (self);
  set_up_focus_ring (self);

  self->search = ow_intake_search_new ();
  ow_intake_search_attach_entry (self->search, GTK_WIDGET (self->search_entry));
  ow_intake_search_attach_filter_button (self->search, self->filter_button);
  g_signal_connect_object (self->search, "results-changed", G_CALLBACK (update_result_count),
                           self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->items_list, ow_intake_search_get_model (self->search),
                           create_item_row, self, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.retry-print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.reprint", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.copy-last-case", FALSE);
  update_result_count (self);
  update_accept (self);
}

/* ---------------------------------------------------------------------------------------- */

void
ow_intake_page_set_context (OwIntakePage *self,
                            OwContext    *context)
{
  g_return_if_fail (OW_IS_INTAKE_PAGE (self));
  g_return_if_fail (OW_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  /* Whoever logs in next does not see the last clerk's case. */
  show_last_case (self, NULL);
  ow_applicant_form_set_context (self->applicant_form, context);
  choose_item (self, NULL);
  fill_bundles (self);

  /* The index is built in a worker; until then the list shows the catalog as it is. */
  ow_intake_search_set_context (self->search, context);
  update_result_count (self);
  update_accept (self);
  /* Back where the clerk was before a crash, a power cut or a log-out. */
  set_up_drafts (self);
}

gboolean
ow_intake_page_go_to_step (OwIntakePage *self,
                           guint         step)
{
  GtkWidget *row;

  g_return_val_if_fail (OW_IS_INTAKE_PAGE (self), FALSE);

  switch (step)
    {
    case STEP_SEARCH:
      ow_intake_page_focus_search (self);
      return TRUE;
    case STEP_ITEMS:
      return gtk_widget_child_focus (GTK_WIDGET (self->items_list), GTK_DIR_TAB_FORWARD);
    case STEP_APPLICANT:
      ow_applicant_form_focus (self->applicant_form);
      return TRUE;
    case STEP_MATERIALS:
      row = first_open_material (self);
      return row != NULL && gtk_widget_grab_focus (row);
    case STEP_DECISION:
      ow_decision_panel_focus (self->decision_panel);
      return TRUE;
    default:
      return FALSE;
    }
}

void
ow_intake_page_focus_search (OwIntakePage *self)
{
  g_return_if_fail (OW_IS_INTAKE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
ow_intake_page_reset (OwIntakePage *self)
{
  g_return_if_fail (OW_IS_INTAKE_PAGE (self));

  gtk_list_box_unselect_all (self->items_list);
  choose_item (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  ow_applicant_form_reset (self->applicant_form);
  ow_decision_panel_reset (self->decision_panel);
  update_accept (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
ow_intake_page_park (OwIntakePage *self)
{
  g_return_val_if_fail (OW_IS_INTAKE_PAGE (self), FALSE);

  return park_form (self);
}

static void
closing_flushed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!ow_draft_keeper_flush_finish (OW_DRAFT_KEEPER (source), result, &error))
    g_warning ("The form was not saved on closing: %s", error->message);
  if (app != NULL)
    g_application_release (app);
}

void
ow_intake_page_save_draft_now (OwIntakePage *self)
{
  GApplication *app = g_application_get_default ();

  g_return_if_fail (OW_IS_INTAKE_PAGE (self));

  if (self->keeper == NULL)
    return;
  /* The keystrokes of the last moment are still waiting for the debounce: written now, and
   * the application lives until they are (the task keeps the keeper). */
  if (app != NULL)
    g_application_hold (app);
  ow_draft_keeper_flush_async (self->keeper, NULL, closing_flushed_cb,
                               app != NULL ? g_object_ref (app) : NULL);
}
