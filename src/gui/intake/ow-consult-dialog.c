/* ow-consult-dialog.c — consultation without a case: an item's details and its printed guide
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtkunixprint.h>

#include "core/ow-clock.h"
#include "gui/intake/ow-consult-dialog.h"
#include "gui/printing/ow-counter-document.h"
#include "gui/printing/ow-preview-dialog.h"
#include "gui/printing/ow-print-jobs.h"

#define PREVIEW_DPI 96

struct _OwConsultDialog
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkWidget *print_button;
  GtkWidget *printing_box;
  GtkSpinner *spinner;
  AdwToastOverlay *toast_overlay;
  AdwPreferencesPage *page;

  OwContext *context;
  OwItem *item;
  GCancellable *cancellable;  /* the preview's drawing; a guide on its way still prints */
  OwCounterDocument *guide;   /* the last guide drawn, for Retry */
  AdwToast *toast;            /* weak: how the last try went, dismissed by the next one */
  char *printer_override;     /* chosen in the print dialog, for the next guide only */
  gboolean printing;
};

G_DEFINE_FINAL_TYPE (OwConsultDialog, ow_consult_dialog, ADW_TYPE_WINDOW)

/* A guide on its way to the printer. It outlives the dialog: the applicant still wants the
 * paper when the clerk closed the window, and a guide that fails waits in the print jobs
 * window like any other document. */
typedef struct
{
  GWeakRef dialog;
  char *printer;
} PrintData;

static PrintData *
print_data_new (OwConsultDialog *self,
                char            *printer)
{
  PrintData *data = g_new0 (PrintData, 1);

  g_weak_ref_init (&data->dialog, self);
  data->printer = printer;
  return data;
}

static void
print_data_free (PrintData *data)
{
  g_weak_ref_clear (&data->dialog);
  g_free (data->printer);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrintData, print_data_free)

/* ---------------------------------------------------------------------------------------- */
/* Building the view */

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

static GtkWidget *
create_value_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* The clerk copies a phone number or an address for the applicant. */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* A group with a card holding its fields; added to the page by finish_section() only when
 * something went into it: what the item lacks is left out, not shown empty. */
static GtkWidget *
create_section (const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_widget_add_css_class (card, "card");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card);
  g_object_set_data (G_OBJECT (group), "ow-card", card);
  return group;
}

static GtkBox *
section_card (GtkWidget *section)
{
  return g_object_get_data (G_OBJECT (section), "ow-card");
}

static void
finish_section (OwConsultDialog *self,
                GtkWidget       *section)
{
  GtkWidget *card = GTK_WIDGET (section_card (section));

  if (gtk_widget_get_first_child (card) == NULL)
    {
      g_object_unref (g_object_ref_sink (section));
      return;
    }
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (section));
}

static void
pad_card_child (GtkWidget *child)
{
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
}

/* "Caption" over its value; the value is named by the caption for a screen reader. */
static void
add_field (GtkWidget  *section,
           const char *caption,
           const char *value)
{
  GtkBox *card = section_card (section);
  GtkWidget *box, *caption_label, *value_label;

  if (is_blank (value))
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  caption_label = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (caption_label, "caption-heading");
  gtk_widget_add_css_class (caption_label, "dim-label");
  value_label = create_value_label (value);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption_label, NULL, -1);
  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_box_append (GTK_BOX (box), value_label);
  pad_card_child (box);
  if (gtk_widget_get_first_child (GTK_WIDGET (card)) == NULL)
    gtk_widget_set_margin_top (box, 12);
  gtk_box_append (card, box);
}

/* The card's last child gets the bottom padding. */
static void
pad_card_end (GtkWidget *section)
{
  GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (section_card (section)));

  if (last != NULL)
    gtk_widget_set_margin_bottom (last, 12);
}

static void
add_section_text (OwConsultDialog *self,
                  const char      *title,
                  const char      *text)
{
  GtkWidget *section;
  GtkWidget *label;

  if (is_blank (text))
    return;
  section = create_section (title);
  label = create_value_label (text);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  pad_card_child (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_box_append (section_card (section), label);
  finish_section (self, section);
}

static const char *
describe_form (OwMaterialForm form)
{
  switch (form)
    {
    case OW_MATERIAL_FORM_ELECTRONIC:
      return _("Electronic");
    case OW_MATERIAL_FORM_EITHER:
      return _("Paper or electronic");
    case OW_MATERIAL_FORM_PAPER:
    default:
      return _("Paper");
    }
}

static const char *
describe_source (OwMaterial *material)
{
  /* Vendors code the source differently: the catalog's own label comes first. */
  if (!is_blank (ow_material_get_source_label (material)))
    return ow_material_get_source_label (material);
  switch (ow_material_get_source (material))
    {
    case OW_MATERIAL_SOURCE_GOVERNMENT:
      return _("Issued by a government department");
    case OW_MATERIAL_SOURCE_OTHER:
      return _("Other");
    case OW_MATERIAL_SOURCE_APPLICANT:
    default:
      return _("Provided by the applicant");
    }
}

static char *
describe_material (OwMaterial *material)
{
  guint originals = ow_material_get_originals (material);
  guint copies = ow_material_get_copies (material);
  GString *text = g_string_new (NULL);

  /* The first line as the intake page's material rows say it. */
  g_string_append (text, ow_material_get_required (material) ? _("Required") : _("Optional"));
  g_string_append_printf (text, " · %s", describe_form (ow_material_get_form (material)));
  if (originals > 0)
    {
      g_string_append (text, " · ");
      /* Translators: the number of originals the applicant shows */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u original", "%u originals",
                                                 originals), originals);
    }
  if (copies > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u copy", "%u copies",
                                                 copies), copies);
    }
  if (ow_material_get_shared_exempt (material))
    g_string_append_printf (text, " · %s", _("the government shares this data"));
  else if (ow_material_get_licence_exempt (material))
    g_string_append_printf (text, " · %s", _("an electronic licence can replace it"));

  g_string_append_c (text, '\n');
  /* Translators: where a material comes from, e.g. 申请人自备 */
  g_string_append_printf (text, _("Source: %s"), describe_source (material));
  if (!is_blank (ow_material_get_issuer (material)))
    {
      g_string_append_c (text, '\n');
      /* Translators: %s is the organ or person that issues a material */
      g_string_append_printf (text, _("Issued by: %s"), ow_material_get_issuer (material));
    }
  if (ow_material_get_tolerable (material))
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Tolerated acceptance allowed: may be handed in after the "
                               "application is accepted"));
    }
  if (!is_blank (ow_material_get_standard (material)))
    {
      g_string_append_c (text, '\n');
      /* Translators: %s says what the material must be like to be accepted (受理标准) */
      g_string_append_printf (text, _("Acceptance standard: %s"),
                              ow_material_get_standard (material));
    }
  if (!is_blank (ow_material_get_notes (material)))
    {
      g_string_append_c (text, '\n');
      /* Translators: %s is how to fill in the material (填报须知) */
      g_string_append_printf (text, _("Notes: %s"), ow_material_get_notes (material));
    }
  if (!is_blank (ow_material_get_blank_form (material)))
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Blank form: %s"), ow_material_get_blank_form (material));
    }
  if (!is_blank (ow_material_get_sample (material)))
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Sample: %s"), ow_material_get_sample (material));
    }
  return g_string_free (text, FALSE);
}

static void
add_materials (OwConsultDialog *self)
{
  GListModel *materials = ow_item_get_materials (self->item);
  guint n = materials != NULL ? g_list_model_get_n_items (materials) : 0;
  GtkWidget *section;

  if (n == 0)
    return;
  section = create_section (_("Materials"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwMaterial) material = g_list_model_get_item (materials, i);
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);
      g_autofree char *details = describe_material (material);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
      GtkWidget *number_label = gtk_label_new (number);
      GtkWidget *name_label = create_value_label (ow_material_get_name (material));
      GtkWidget *details_label = create_value_label (details);

      gtk_widget_set_valign (number_label, GTK_ALIGN_START);
      gtk_label_set_width_chars (GTK_LABEL (number_label), 3);
      gtk_label_set_xalign (GTK_LABEL (number_label), 1);
      gtk_widget_add_css_class (number_label, "dim-label");
      gtk_widget_add_css_class (name_label, "heading");
      gtk_widget_add_css_class (details_label, "caption");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (details_label),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, name_label, NULL, -1);
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (text), name_label);
      gtk_box_append (GTK_BOX (text), details_label);
      gtk_box_append (GTK_BOX (row), number_label);
      gtk_box_append (GTK_BOX (row), text);
      pad_card_child (row);
      if (i == 0)
        gtk_widget_set_margin_top (row, 12);
      if (i > 0)
        gtk_box_append (section_card (section), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (section_card (section), row);
    }
  pad_card_end (section);
  finish_section (self, section);
}

static char *
describe_days (guint days)
{
  /* Translators: the promised time limit of an item */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u working day", "%u working days",
                                       days), days);
}

static void
add_limits (OwConsultDialog *self)
{
  GtkWidget *section = create_section (_("Time Limits"));
  OwCalendar *calendar = ow_context_get_calendar (self->context);
  g_autofree char *legal = describe_days (ow_item_get_legal_limit (self->item));
  g_autofree char *promised = NULL;
  g_autofree char *done_by = NULL;

  if (ow_item_is_immediate (self->item))
    promised = g_strdup (_("done on the spot"));
  else
    promised = describe_days (ow_item_get_promised_limit (self->item));

  /* What the applicant asks first: when will it be done if I apply today. The hall's date, on
   * the hall's calendar, the day of acceptance not counted. */
  if (calendar != NULL)
    {
      GDate today, date;
      gboolean provisional = FALSE;
      char text[16];

      ow_hall_today (&today);
      g_date_clear (&date, 1);
      ow_calendar_add_working_days (calendar, &today, ow_item_get_promised_limit (self->item),
                                    &date, &provisional);
      if (g_date_valid (&date) && g_date_strftime (text, sizeof text, "%Y-%m-%d", &date) > 0)
        done_by = g_strconcat (text, provisional ? _(" (provisional)") : "", NULL);
    }

  add_field (section, _("Legal time limit"), legal);
  add_field (section, _("Promised time limit"), promised);
  add_field (section, _("Done by, if accepted today"), done_by);
  pad_card_end (section);
  finish_section (self, section);
}

static char *
describe_targets (OwTargetFlags targets)
{
  static const struct { OwTargetFlags flag; const char *label; } names[] = {
    { OW_TARGET_PERSON, N_("Natural persons") },
    { OW_TARGET_ENTERPRISE, N_("Enterprise legal persons") },
    { OW_TARGET_INSTITUTION, N_("Public institutions") },
    { OW_TARGET_SOCIAL_ORG, N_("Social organisations") },
    { OW_TARGET_ADMINISTRATIVE, N_("Administrative organs") },
    { OW_TARGET_OTHER_ORG, N_("Other organisations") },
  };
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (targets & names[i].flag)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", _(names[i].label));
  return g_string_free (text, text->len == 0);
}

static char *
describe_forms (OwHandlingForms forms)
{
  static const struct { OwHandlingForms flag; const char *label; } names[] = {
    { OW_FORM_WINDOW, N_("At the counter") },
    { OW_FORM_WEB, N_("Online on a computer") },
    { OW_FORM_MOBILE, N_("Online on a mobile phone") },
    { OW_FORM_POST, N_("Apply by post") },
    { OW_FORM_OTHER, N_("Other") },
  };
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (forms & names[i].flag)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", _(names[i].label));
  return g_string_free (text, text->len == 0);
}

static void
add_overview (OwConsultDialog *self)
{
  GtkWidget *section = create_section (NULL);
  GtkWidget *name = create_value_label (ow_item_get_name (self->item));
  const char *code = ow_item_type_to_code (ow_item_get_item_type (self->item));
  const char * const *aliases = ow_item_get_aliases (self->item);
  g_autofree char *type = NULL;
  g_autofree char *alias_text = NULL;
  g_autofree char *targets = describe_targets (ow_item_get_targets (self->item));
  g_autofree char *forms = describe_forms (ow_item_get_forms (self->item));

  /* The type's name is data of the standard (行政许可 …), as on every document. */
  if (code != NULL)
    type = g_strdup_printf ("%s %s", code,
                            ow_item_type_to_label (ow_item_get_item_type (self->item)));
  if (aliases != NULL && aliases[0] != NULL)
    alias_text = g_strjoinv (" · ", (char **) aliases);

  gtk_widget_add_css_class (name, "title-2");
  gtk_accessible_update_property (GTK_ACCESSIBLE (name), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Item name"), -1);
  pad_card_child (name);
  gtk_widget_set_margin_top (name, 12);
  gtk_box_append (section_card (section), name);

  add_field (section, _("Department"), ow_item_get_department (self->item));
  add_field (section, _("Item type"), type);
  add_field (section, _("Implementation code"), ow_item_get_id (self->item));
  add_field (section, _("Basic code"), ow_item_get_basic_code (self->item));
  add_field (section, _("Also known as"), alias_text);
  add_field (section, _("Who may apply"), targets);
  add_field (section, _("Ways to apply"), forms);
  pad_card_end (section);
  finish_section (self, section);
}

static void
add_process (OwConsultDialog *self)
{
  GtkWidget *section = create_section (_("Process"));

  add_field (section, _("Steps"), ow_item_get_process (self->item));
  add_field (section, _("Quantity limit"), ow_item_get_quantity_limit (self->item));
  pad_card_end (section);
  finish_section (self, section);
}

static void
add_fees_and_result (OwConsultDialog *self)
{
  GtkWidget *section = create_section (_("Fees and Result"));
  const char *basis = ow_item_get_fee_basis (self->item);
  g_autofree char *fees = NULL;

  if (!ow_item_get_charged (self->item))
    fees = g_strdup (_("Free of charge"));
  else if (is_blank (basis))
    fees = g_strdup (_("Charged; ask the department for the amount"));
  else
    /* Translators: %s is the legal basis and amount of a fee (收费依据) */
    fees = g_strdup_printf (_("Charged. Basis: %s"), basis);

  add_field (section, _("Fees"), fees);
  add_field (section, _("Result"), ow_item_get_result_name (self->item));
  add_field (section, _("Result sample"), ow_item_get_result_sample (self->item));
  pad_card_end (section);
  finish_section (self, section);
}

static void
add_place_and_contact (OwConsultDialog *self)
{
  GtkWidget *section = create_section (_("Where, When and Whom to Ask"));
  guint visits = ow_item_get_visits (self->item);
  g_autofree char *visits_text = NULL;

  if (visits == 0)
    visits_text = g_strdup (_("None: it can be done without coming to the hall"));
  else
    /* Translators: how many times the applicant has to come to the hall (到办事现场次数) */
    visits_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u visit", "%u visits",
                                                visits), visits);

  add_field (section, _("Place"), ow_item_get_place (self->item));
  add_field (section, _("Hours"), ow_item_get_hours (self->item));
  add_field (section, _("Consultation phone"), ow_item_get_phone (self->item));
  add_field (section, _("Supervision phone"), ow_item_get_supervision_phone (self->item));
  add_field (section, _("Visits to the hall"), visits_text);
  pad_card_end (section);
  finish_section (self, section);
}

static void
add_faq (OwConsultDialog *self)
{
  const char * const *faq = ow_item_get_faq (self->item);
  GtkWidget *section;

  if (faq == NULL || faq[0] == NULL)
    return;
  section = create_section (_("Frequently Asked Questions"));
  for (guint i = 0; faq[i] != NULL && faq[i + 1] != NULL; i += 2)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
      GtkWidget *question = create_value_label (faq[i]);
      GtkWidget *answer = create_value_label (faq[i + 1]);

      gtk_widget_add_css_class (question, "heading");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (answer),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, question, NULL, -1);
      gtk_box_append (GTK_BOX (box), question);
      gtk_box_append (GTK_BOX (box), answer);
      pad_card_child (box);
      if (i == 0)
        gtk_widget_set_margin_top (box, 12);
      gtk_box_append (section_card (section), box);
    }
  pad_card_end (section);
  finish_section (self, section);
}

static void
fill (OwConsultDialog *self)
{
  g_autofree char *title = NULL;

  adw_window_title_set_subtitle (self->window_title, ow_item_get_name (self->item));
  /* Translators: the window's title; %s is a service item's name */
  title = g_strdup_printf (_("Consultation: %s"), ow_item_get_name (self->item));
  gtk_window_set_title (GTK_WINDOW (self), title);

  add_overview (self);
  add_section_text (self, _("Conditions"), ow_item_get_conditions (self->item));
  add_materials (self);
  add_limits (self);
  add_process (self);
  add_fees_and_result (self);
  add_place_and_contact (self);
  add_faq (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Printing */

static void
set_printing (OwConsultDialog *self,
              gboolean         printing)
{
  self->printing = printing;
  /* One guide at a time: a double press must not print two. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consult.print", !printing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consult.retry", !printing);
  gtk_widget_set_visible (self->printing_box, printing);
  gtk_spinner_set_spinning (self->spinner, printing);
}

/* Replaces the toast of the last try: the overlay queues toasts, and the outcome of this try
 * must not wait behind the last one's. */
static void
show_toast (OwConsultDialog *self,
            AdwToast        *toast)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_clear_weak_pointer (&self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_failure (OwConsultDialog *self,
              const char      *reason)
{
  /* Translators: %s is the printer's error, a sentence saying what to do */
  g_autofree char *message = g_strdup_printf (_("The requirements guide was not printed: %s"),
                                              reason);
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Retry"));
  adw_toast_set_action_name (toast, "consult.retry");
  show_toast (self, toast);
}

static void
dismiss_toast (OwConsultDialog *self)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_clear_weak_pointer (&self->toast);
}

/* The printer chosen in the print dialog, else the one set for guides, else the notice
 * printer; NULL when there is none. */
static char *
dup_printer (OwConsultDialog *self)
{
  if (self->printer_override != NULL)
    return g_strdup (self->printer_override);
  return ow_counter_document_dup_printer (self->context, OW_DOCUMENT_GUIDE);
}

static void
guide_printed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PrintData) data = user_data;
  g_autoptr(OwConsultDialog) self = g_weak_ref_get (&data->dialog);
  g_autoptr(GError) error = NULL;

  ow_counter_document_print_finish (OW_COUNTER_DOCUMENT (source), result, &error);

  /* Closed meanwhile: a failed guide waits in the print jobs window. */
  if (self == NULL)
    return;
  set_printing (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      show_failure (self, error->message);
      return;
    }
  {
    AdwToast *toast = adw_toast_new (_("Requirements guide printed"));

    adw_toast_set_timeout (toast, 5);
    show_toast (self, toast);
  }
}

/* To @data's printer; a guide whose job failed goes again as that job. */
static void
send_guide (OwCounterDocument *guide,
            PrintData         *data)
{
  /* Not cancelled with the dialog: see PrintData. */
  ow_counter_document_print_async (guide, data->printer, NULL, guide_printed_cb, data);
}

static void
guide_rendered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OwCounterDocument *guide = OW_COUNTER_DOCUMENT (source);
  PrintData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ow_counter_document_render_finish (guide, result, &error);
  g_autoptr(OwConsultDialog) self = g_weak_ref_get (&data->dialog);

  if (pdf == NULL)
    {
      if (self != NULL)
        {
          g_autofree char *message = NULL;
          AdwToast *toast;

          set_printing (self, FALSE);
          /* Translators: %s says why the document could not be drawn */
          message = g_strdup_printf (_("The requirements guide could not be made: %s"),
                                     error->message);
          toast = adw_toast_new (message);
          adw_toast_set_timeout (toast, 0);
          show_toast (self, toast);
        }
      print_data_free (data);
      return;
    }

  /* The guide belongs to no case: its job's case is NULL, which the queue, the print jobs
   * window and the audit of reprints all accept; its title names the item instead. */
  if (self != NULL)
    g_set_object (&self->guide, guide);
  send_guide (guide, data);
}

/* Checks that the guide can go anywhere; the printer (owned) on success. */
static char *
prepare_printing (OwConsultDialog *self)
{
  g_autofree char *printer = dup_printer (self);

  g_clear_pointer (&self->printer_override, g_free);
  if (ow_print_jobs_get_queue (self->context) == NULL)
    {
      show_failure (self, _("the local database is not open or no printer is set up"));
      return NULL;
    }
  if (printer == NULL)
    {
      show_failure (self, _("no printer is set up for the guide; choose one in Preferences"));
      return NULL;
    }
  return g_steal_pointer (&printer);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OwConsultDialog *self = OW_CONSULT_DIALOG (widget);
  g_autoptr(OwCounterDocument) guide = NULL;
  char *printer;

  if (self->printing)
    return;
  dismiss_toast (self);
  printer = prepare_printing (self);
  if (printer == NULL)
    return;

  set_printing (self, TRUE);
  guide = ow_counter_document_new_guide (self->context, self->item);
  ow_counter_document_render_async (guide, NULL, guide_rendered_cb,
                                    print_data_new (self, printer));
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OwConsultDialog *self = OW_CONSULT_DIALOG (widget);
  char *printer;

  if (self->printing)
    return;
  /* Nothing drawn yet: the first try failed before it got that far. */
  if (self->guide == NULL)
    {
      print_activated (widget, "consult.print", NULL);
      return;
    }
  dismiss_toast (self);
  printer = prepare_printing (self);
  if (printer == NULL)
    return;

  set_printing (self, TRUE);
  /* The failed guide, if the queue still holds it, goes again rather than a second job; to
   * the printer set up now: the clerk may have fixed the setting before retrying. */
  send_guide (self->guide, print_data_new (self, printer));
}

/* ---------------------------------------------------------------------------------------- */
/* Preview */

static void
preview_rendered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GWeakRef *preview = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = ow_counter_document_preview_finish (OW_COUNTER_DOCUMENT (source),
                                                                   result, &error);
  g_autoptr(OwPreviewDialog) dialog = g_weak_ref_get (preview);

  g_weak_ref_clear (preview);
  g_free (preview);
  if (dialog == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (pages == NULL)
    ow_preview_dialog_set_error (dialog, error->message);
  else
    ow_preview_dialog_set_pages (dialog, pages);
}

static void
preview_print_cb (OwConsultDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "consult.print", NULL);
}

static void
print_dialog_response_cb (GtkDialog       *dialog,
                          int              response,
                          OwConsultDialog *self)
{
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (GTK_PRINT_UNIX_DIALOG (dialog));

  if (response == GTK_RESPONSE_OK && printer != NULL)
    {
      if (gtk_printer_is_virtual (printer))
        {
          AdwToast *toast = adw_toast_new (_("The guide is handed to the applicant on paper: "
                                             "choose a printer, not a file."));

          adw_toast_set_timeout (toast, 5);
          show_toast (self, toast);
        }
      else if (!self->printing)
        {
          /* The queue follows the job at the chosen CUPS destination like any other. */
          g_free (self->printer_override);
          self->printer_override = g_strdup (gtk_printer_get_name (printer));
          gtk_widget_activate_action (GTK_WIDGET (self), "consult.print", NULL);
        }
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
preview_print_with_dialog_cb (OwConsultDialog *self)
{
  GtkWidget *dialog = gtk_print_unix_dialog_new (_("Print Guide"), GTK_WINDOW (self));

  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  /* Copies come from the hall's settings; only the printer is chosen here. */
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (print_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preview_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OwConsultDialog *self = OW_CONSULT_DIALOG (widget);
  g_autoptr(OwCounterDocument) guide = NULL;
  g_autofree char *title = NULL;
  OwPreviewDialog *dialog;
  GWeakRef *preview;

  /* Translators: %s is the document's Chinese title, 一次性告知书 */
  title = g_strdup_printf (_("%s — Preview"), ow_document_kind_get_title (OW_DOCUMENT_GUIDE));
  dialog = ow_preview_dialog_new (GTK_WINDOW (self), title);
  g_signal_connect_object (dialog, "print", G_CALLBACK (preview_print_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "print-with-dialog",
                           G_CALLBACK (preview_print_with_dialog_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  preview = g_new0 (GWeakRef, 1);
  g_weak_ref_init (preview, dialog);
  guide = ow_counter_document_new_guide (self->context, self->item);
  ow_counter_document_preview_async (guide, PREVIEW_DPI, self->cancellable, preview_rendered_cb,
                                     preview);
}

/* ---------------------------------------------------------------------------------------- */

static void
ow_consult_dialog_dispose (GObject *object)
{
  OwConsultDialog *self = OW_CONSULT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), OW_TYPE_CONSULT_DIALOG);
  g_clear_object (&self->context);
  g_clear_object (&self->item);
  g_clear_object (&self->guide);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ow_consult_dialog_parent_class)->dispose (object);
}

static void
ow_consult_dialog_finalize (GObject *object)
{
  OwConsultDialog *self = OW_CONSULT_DIALOG (object);

  g_free (self->printer_override);

  G_OBJECT_CLASS (ow_consult_dialog_parent_class)->finalize (object);
}

static void
ow_consult_dialog_class_init (OwConsultDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ow_consult_dialog_dispose;
  object_class->finalize = ow_consult_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/onewindow/OneWindow/intake/"
                                               "ow-consult-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OwConsultDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OwConsultDialog, print_button);
  gtk_widget_class_bind_template_child (widget_class, OwConsultDialog, printing_box);
  gtk_widget_class_bind_template_child (widget_class, OwConsultDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, OwConsultDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OwConsultDialog, page);

  gtk_widget_class_install_action (widget_class, "consult.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "consult.preview", NULL, preview_activated);
  gtk_widget_class_install_action (widget_class, "consult.retry", NULL, retry_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "consult.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ow_consult_dialog_init (OwConsultDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

OwConsultDialog *
ow_consult_dialog_new (GtkWindow *parent,
                       OwContext *context,
                       OwItem    *item)
{
  OwConsultDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OW_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (OW_IS_ITEM (item), NULL);

  self = g_object_new (OW_TYPE_CONSULT_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->item = g_object_ref (item);
  fill (self);
  /* Focus on Print: Enter prints, and no selectable text is selected by default focus. */
  gtk_window_set_focus (GTK_WINDOW (self), self->print_button);
  return self;
}
