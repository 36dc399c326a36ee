/* ow-accessible.c — what a screen reader hears: plain names, operable check boxes
 *
 * GTK 4.8 computes an accessible name as the widget's label property followed by the names of
 * its labelled-by relations. A button with a mnemonic gets both: its raw label ("_Log In") and
 * the mnemonic label it holds ("Log In"); a Chinese label keeps its mnemonic in parentheses
 * ("登录(_L)" reads "登录(L)"). GTK 4.10 computes names differently; until the project moves
 * on, every widget is mended here as it is mapped, by one emission hook, so that no window or
 * widget has to remember it.
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "gui/shell/ow-accessible.h"

#define CLOSE_PAREN_WIDE "）"
#define OPEN_PAREN_WIDE  "（"

static GQuark mended_quark;
static GQuark hidden_quark;

static void mend (GtkWidget *widget);

char *
ow_accessible_plain_text (const char *text)
{
  GString *plain = g_string_new (NULL);
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      gsize open = *p == '(' ? 1 : g_str_has_prefix (p, OPEN_PAREN_WIDE) ? strlen (OPEN_PAREN_WIDE)
                                                                        : 0;

      /* "(_L)" or "（_L）": the mnemonic as a Chinese label shows it, not a word to read. */
      if (open > 0 && p[open] == '_' && p[open + 1] != '\0' && p[open + 1] != '_')
        {
          const char *after = g_utf8_next_char (p + open + 1);
          gsize close = *after == ')' ? 1 : g_str_has_prefix (after, CLOSE_PAREN_WIDE)
                                              ? strlen (CLOSE_PAREN_WIDE) : 0;

          if (close > 0)
            {
              while (plain->len > 0 && plain->str[plain->len - 1] == ' ')
                g_string_truncate (plain, plain->len - 1);
              p = after + close;
              continue;
            }
        }
      if (*p == '_')
        {
          /* "__" is a literal underscore. */
          if (p[1] == '_')
            g_string_append_c (plain, '_');
          p += p[1] == '_' ? 2 : 1;
          continue;
        }
      g_string_append_len (plain, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (plain, FALSE);
}

/* Removes the first @needle from @text, in place; whether there was one. */
static gboolean
remove_first (char       *text,
              const char *needle)
{
  char *found = strstr (text, needle);
  gsize n = strlen (needle);

  if (found == NULL)
    return FALSE;
  memmove (found, found + n, strlen (found + n) + 1);
  return TRUE;
}

/* The name of @label as a screen reader should say it. */
static char *
dup_label_name (GtkLabel *label)
{
  gunichar mnemonic;
  char *text;
  char letter[8] = "";
  g_autofree char *group = NULL;
  g_autofree char *wide = NULL;

  if (!gtk_label_get_use_markup (label))
    return ow_accessible_plain_text (gtk_label_get_label (label));

  /* With markup, the displayed text has lost its underscores already; only the Chinese
   * "(L)" is left to go. */
  text = g_strdup (gtk_label_get_text (label));
  mnemonic = g_unichar_toupper (gdk_keyval_to_unicode (gtk_label_get_mnemonic_keyval (label)));
  if (mnemonic == 0)
    return text;
  g_unichar_to_utf8 (mnemonic, letter);
  group = g_strconcat ("(", letter, ")", NULL);
  wide = g_strconcat (OPEN_PAREN_WIDE, letter, CLOSE_PAREN_WIDE, NULL);
  if (!remove_first (text, group))
    remove_first (text, wide);
  return g_strstrip (text);
}

static void
set_name (GtkWidget  *widget,
          const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

/* A control named by the label it holds: once, by the plain text; the relation that named it a
 * second time goes, unless another widget labels it too. */
static void
name_by_own_label (GtkWidget  *widget,
                   const char *raw)
{
  g_autofree char *plain = ow_accessible_plain_text (raw);
  GList *labels = gtk_widget_list_mnemonic_labels (widget);
  gboolean only_own = TRUE;

  for (GList *l = labels; l != NULL; l = l->next)
    only_own &= gtk_widget_is_ancestor (l->data, widget);
  g_list_free (labels);

  set_name (widget, plain);
  if (only_own)
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* The button of a drop-down: named as the drop-down is (by its mnemonic label, or the name it
 * was given), and described by the choice it shows, so that the choice is heard with it. */
static void label_by (GtkWidget *widget,
                      GList     *labels,
                      GtkWidget *fallback);

static void
mend_drop_down_button (GtkWidget *button)
{
  GtkWidget *drop_down = gtk_widget_get_parent (button);

  label_by (button, gtk_widget_list_mnemonic_labels (drop_down), drop_down);
}

static void
describe_drop_down_choice (GtkLabel *label)
{
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (label)); w != NULL;
       w = gtk_widget_get_parent (w))
    if (GTK_IS_TOGGLE_BUTTON (w) && GTK_IS_DROP_DOWN (gtk_widget_get_parent (w)))
      {
        gtk_accessible_update_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                        label, NULL, -1);
        return;
      }
    else if (GTK_IS_POPOVER (w) || GTK_IS_ROOT (w))
      return;
}

/* Names @widget by @labels (it takes the list), or by @fallback when there are none. */
static void
label_by (GtkWidget *widget,
          GList     *labels,
          GtkWidget *fallback)
{
  GtkAccessibleRelation relation = GTK_ACCESSIBLE_RELATION_LABELLED_BY;
  GValue value = G_VALUE_INIT;

  if (labels == NULL && fallback != NULL)
    labels = g_list_prepend (NULL, fallback);
  if (labels == NULL)
    return;
  gtk_accessible_relation_init_value (relation, &value);
  g_value_set_pointer (&value, labels);
  gtk_accessible_update_relation_value (GTK_ACCESSIBLE (widget), 1, &relation, &value);
  g_value_unset (&value);
}

static void
collect_labels (GtkWidget  *widget,
                GList     **labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        *labels = g_list_append (*labels, child);
      else
        collect_labels (child, labels);
    }
}

/* A row of a list view (a drop-down's choices, the value an AdwComboRow shows) is a bare
 * widget around its labels: it is named by them. */
static void
mend_list_item (GtkWidget *item)
{
  GList *labels = NULL;

  collect_labels (item, &labels);
  label_by (item, labels, NULL);
}

/* A list view without a name of its own, inside a drop-down or a combo row: named as they
 * are. */
static void
mend_list_view (GtkWidget *view)
{
  for (GtkWidget *w = gtk_widget_get_parent (view); w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_COMBO_ROW (w) || GTK_IS_DROP_DOWN (w))
      {
        label_by (view, gtk_widget_list_mnemonic_labels (w), w);
        return;
      }
}

/* A button that shows nothing but a toolkit icon, with no tooltip to name it (a toast's
 * close button): named by what the icon means. */
static void
mend_icon_button (GtkButton *button)
{
  const char *icon = gtk_button_get_icon_name (button);

  if (icon == NULL || gtk_widget_get_tooltip_text (GTK_WIDGET (button)) != NULL)
    return;
  if (g_str_equal (icon, "window-close-symbolic"))
    set_name (GTK_WIDGET (button), _("Close"));
}

static void
toggle_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkCheckButton *check = user_data;

  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

/* AT-SPI offers a GTK 4.8 check box no action at all: a widget's own actions are offered, so
 * it gets one. */
static void
make_check_operable (GtkCheckButton *check)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) toggle = g_simple_action_new ("toggle", NULL);

  g_signal_connect_object (toggle, "activate", G_CALLBACK (toggle_activated), check, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (toggle));
  gtk_widget_insert_action_group (GTK_WIDGET (check), "check", G_ACTION_GROUP (group));
}

static void
label_changed_cb (GtkWidget  *widget,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  mend (widget);
}

static void
mend (GtkWidget *widget)
{
  gboolean first = g_object_get_qdata (G_OBJECT (widget), mended_quark) == NULL;

  if (GTK_IS_LABEL (widget))
    {
      GtkLabel *label = GTK_LABEL (widget);

      if (gtk_label_get_use_underline (label))
        {
          g_autofree char *name = dup_label_name (label);

          set_name (widget, name);
        }
      if (first)
        describe_drop_down_choice (label);
    }
  else if (GTK_IS_BUTTON (widget))
    {
      GtkButton *button = GTK_BUTTON (widget);

      if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
        name_by_own_label (widget, gtk_button_get_label (button));
      if (first && GTK_IS_TOGGLE_BUTTON (widget)
          && GTK_IS_DROP_DOWN (gtk_widget_get_parent (widget)))
        mend_drop_down_button (widget);
      if (first)
        mend_icon_button (button);
    }
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      GtkCheckButton *check = GTK_CHECK_BUTTON (widget);

      if (gtk_check_button_get_use_underline (check) && gtk_check_button_get_label (check) != NULL)
        name_by_own_label (widget, gtk_check_button_get_label (check));
      if (first)
        make_check_operable (check);
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      GtkMenuButton *button = GTK_MENU_BUTTON (widget);

      if (gtk_menu_button_get_use_underline (button) && gtk_menu_button_get_label (button) != NULL)
        name_by_own_label (widget, gtk_menu_button_get_label (button));
    }
  else if (GTK_IS_EXPANDER (widget))
    {
      GtkExpander *expander = GTK_EXPANDER (widget);

      /* 4.8 names an expander by nothing but its type. */
      if (gtk_expander_get_label (expander) != NULL)
        {
          if (gtk_expander_get_use_underline (expander))
            name_by_own_label (widget, gtk_expander_get_label (expander));
          else
            set_name (widget, gtk_expander_get_label (expander));
        }
    }
  else
    {
      if (!first)
        return;
      if (GTK_IS_LIST_VIEW (widget) || GTK_IS_GRID_VIEW (widget))
        mend_list_view (widget);
      else if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))
               == GTK_ACCESSIBLE_ROLE_LIST_ITEM && !GTK_IS_LIST_BOX_ROW (widget))
        mend_list_item (widget);
      else
        return;
      g_object_set_qdata (G_OBJECT (widget), mended_quark, GINT_TO_POINTER (TRUE));
      return;
    }

  if (first)
    {
      g_object_set_qdata (G_OBJECT (widget), mended_quark, GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::label", G_CALLBACK (label_changed_cb), NULL);
      g_signal_connect (widget, "notify::use-underline", G_CALLBACK (label_changed_cb), NULL);
    }
}

static gboolean
widget_mapped_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);

  if (g_object_steal_qdata (G_OBJECT (widget), hidden_quark) != NULL)
    gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN);
  mend (widget);
  return TRUE;
}

/* GTK 4.8 presents what is not on screen as if it were — the pages of a stack not shown, a
 * closed popover — and says of nothing below a window whether it shows: a screen reader's
 * review would read the log-in page under the intake page. What goes off screen is hidden,
 * once, at the top of what goes (its descendants go with it). */
static gboolean
widget_unmapped_hook (GSignalInvocationHint *hint,
                      guint                  n_values,
                      const GValue          *values,
                      gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (parent != NULL && gtk_widget_get_mapped (parent) && !GTK_IS_NATIVE (widget))
    {
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      g_object_set_qdata (G_OBJECT (widget), hidden_quark, GINT_TO_POINTER (TRUE));
    }
  return TRUE;
}

void
ow_accessible_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      mended_quark = g_quark_from_static_string ("ow-accessible-mended");
      hidden_quark = g_quark_from_static_string ("ow-accessible-hidden");
      /* The class, not only the type: its signals are made in class_init. */
      g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0,
                                  widget_mapped_hook, NULL, NULL);
      g_signal_add_emission_hook (g_signal_lookup ("unmap", GTK_TYPE_WIDGET), 0,
                                  widget_unmapped_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
