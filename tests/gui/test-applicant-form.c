/* test-applicant-form.c — the applicant form: checks as typed, the agent, a returning applicant
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form in a real window under Xvfb, over a real context: its SQLite store opened in a
 * temporary folder of a running onewindow-platform, which the context's sync engine talks to.
 * Controls are found by the labels and titles that name them; earlier cases are saved with the
 * store's own API before the ID is typed, and the recall is awaited as a clerk would see it.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "core/ow-case.h"
#include "core/ow-case-number.h"
#include "gui/intake/ow-applicant-form.h"
#include "gui/shell/ow-context.h"
#include "ow-test-counter.h"
#include "ow-test-gui.h"

/* Valid by GB 11643 and GB 32100 (tests/core/test-validate.c). */
#define ID_PERSON       "460100199902281238"
#define ID_PERSON_OTHER "440306201201010019"
#define ID_AGENT        "11010519000101001X"
#define ID_WRONG_CHECK  "110105194912310023"   /* the check character should be X */
#define CREDIT_CODE     "91460100MA5T0000XB"

typedef struct
{
  OwTestCounter counter;
  GtkWindow *window;
  OwApplicantForm *form;
  guint changes;
  guint agent_notifies;
} Fixture;

/* ---------------------------------------------------------------------------------------- */
/* Finding what the clerk sees */

static GtkWidget *
field (Fixture    *f,
       const char *label)
{
  return ow_test_gui_find_labelled (f->form, label);
}

static const char *
text_of (Fixture    *f,
         const char *label)
{
  return gtk_editable_get_text (GTK_EDITABLE (field (f, label)));
}

/* The reasons shown under the fields, joined: the visible labels styled as errors. */
static char *
dup_shown_errors (Fixture *f)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (f->form, GTK_TYPE_LABEL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error") && gtk_widget_is_visible (label))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (out, FALSE);
}

/* The warnings shown, one a line. */
static char *
dup_shown_warnings (Fixture *f)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (f->form, GTK_TYPE_LABEL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "warning") && gtk_widget_is_visible (label))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (out, FALSE);
}

static void
assert_field_wrong (Fixture    *f,
                    const char *label,
                    const char *reason)
{
  GtkWidget *entry = field (f, label);
  g_autofree char *shown = dup_shown_errors (f);

  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  if (strstr (shown, reason) == NULL)
    g_error ("“%s” shows “%s”, not “%s”", label, shown, reason);
}

static void
assert_field_not_wrong (Fixture    *f,
                        const char *label)
{
  GtkWidget *entry = field (f, label);

  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (entry),
                                                 GTK_ACCESSIBLE_STATE_INVALID));
}

static void
assert_no_errors_shown (Fixture *f)
{
  g_autofree char *shown = dup_shown_errors (f);

  g_assert_cmpstr (shown, ==, "");
}

static void
assert_problem (Fixture    *f,
                const char *expected)
{
  g_autofree char *problem = NULL;
  gboolean ok = ow_applicant_form_check (f->form, &problem);

  g_assert_cmpstr (problem, ==, expected);
  g_assert_cmpint (ok, ==, expected == NULL);
}

/* The line under the ID that tells where recalled details came from, when it shows. */
static GtkLabel *
find_recall_line (Fixture *f)
{
  g_autoptr(GPtrArray) labels = ow_test_gui_find_all (f->form, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (g_str_has_prefix (gtk_label_get_text (label), "Returning applicant")
          && gtk_widget_is_visible (GTK_WIDGET (label)))
        return label;
    }
  return NULL;
}

static gboolean
recall_line_shown (gpointer data)
{
  return find_recall_line (data) != NULL;
}

static gboolean
name_and_mobile_filled (gpointer data)
{
  Fixture *f = data;

  return *text_of (f, "Name") != '\0' && *text_of (f, "Mobile") != '\0';
}

static gboolean
button_hidden (gpointer data)
{
  return !gtk_widget_is_visible (data);
}

/* ---------------------------------------------------------------------------------------- */
/* The fixture: a real context over a real store, the form in a real window */

static void
changed_cb (OwApplicantForm *form,
            Fixture         *f)
{
  f->changes++;
}

static void
has_agent_notified_cb (OwApplicantForm *form,
                       GParamSpec      *pspec,
                       Fixture         *f)
{
  f->agent_notifies++;
}

static void
fixture_set_up (Fixture *f)
{
  memset (f, 0, sizeof *f);
  ow_test_counter_start (&f->counter, OW_TEST_COUNTER_CONTEXT_ONLY, NULL);

  /* As in the intake page's right-hand column at 1366×768. */
  f->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (f->window, 380, 720);
  f->form = OW_APPLICANT_FORM (ow_applicant_form_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (f->form), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (f->form), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (f->form), 18);
  gtk_widget_set_valign (GTK_WIDGET (f->form), GTK_ALIGN_START);
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->form));
  ow_applicant_form_set_context (f->form, f->counter.context);
  g_signal_connect (f->form, "changed", G_CALLBACK (changed_cb), f);
  g_signal_connect (f->form, "notify::has-agent", G_CALLBACK (has_agent_notified_cb), f);
  gtk_window_present (f->window);
  ow_test_gui_settle (100);
}

static void
fixture_tear_down (Fixture *f)
{
  gtk_window_destroy (f->window);
  ow_test_counter_stop (&f->counter);
}

static void
save_earlier_case (Fixture           *f,
                   guint              sequence,
                   const char        *received_utc,
                   const OwApplicant *applicant,
                   char             **formatted_case_no)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) received = g_date_time_new_from_iso8601 (received_utc, NULL);
  g_autoptr(OwCase) kase = NULL;
  g_autofree char *case_no = NULL;
  GDate date;

  g_assert_nonnull (received);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 20, G_DATE_NOVEMBER, 2026);
  case_no = ow_case_number_make ("46010001", 7, &date, sequence, &error);
  g_assert_no_error (error);
  kase = ow_case_new (case_no);
  ow_case_set_origin (kase, "46010001", 7, "clerk");
  ow_case_set_received_at (kase, received);
  ow_case_set_applicant (kase, applicant);
  ow_case_add_item (kase, ow_case_item_new ("11460100MB0000000X0001", "000001", "食品经营许可",
                                            "海口市市场监督管理局"));
  g_assert_true (ow_store_save_case (ow_context_get_store (f->counter.context), kase, NULL, "clerk",
                                     &error));
  g_assert_no_error (error);
  *formatted_case_no = ow_case_number_format (case_no);
}

static OwApplicant *
make_applicant (OwApplicantKind  kind,
                const char      *name,
                const char      *id_number,
                const char      *phone,
                const char      *contact_name)
{
  OwApplicant *applicant = ow_applicant_new (kind);

  applicant->name = g_strdup (name);
  applicant->id_number = g_strdup (id_number);
  applicant->phone = g_strdup (phone);
  applicant->contact_name = g_strdup (contact_name);
  return applicant;
}

/* ---------------------------------------------------------------------------------------- */

static void
test_validation (void)
{
  Fixture f;
  g_autoptr(OwApplicant) applicant = NULL;
  GtkWidget *focus;
  guint before;

  fixture_set_up (&f);

  /* Nothing typed: incomplete, but nothing is marked wrong. */
  assert_no_errors_shown (&f);
  assert_field_not_wrong (&f, "ID number");
  assert_problem (&f, "Fill in the applicant's name, ID number and mobile.");

  /* A wrong check character: the reason under the field, the entry marked for everyone. */
  before = f.changes;
  ow_test_gui_type_text (field (&f, "ID number"), ID_WRONG_CHECK);
  g_assert_cmpuint (f.changes, >, before);
  assert_field_wrong (&f, "ID number", "The check character should be X, not 3");
  assert_problem (&f, "Fill in the applicant's name, ID number and mobile.");

  /* Emptied again: not an error until typed. */
  ow_test_gui_type_text (field (&f, "ID number"), "");
  assert_field_not_wrong (&f, "ID number");
  assert_no_errors_shown (&f);

  /* A region GB/T 2260 does not know: valid, with a warning under the field (issue 15). */
  {
    g_autofree char *warned = NULL;
    g_autofree char *known = NULL;

    ow_test_gui_type_text (field (&f, "ID number"), "11019919491231002X");
    assert_field_not_wrong (&f, "ID number");
    assert_no_errors_shown (&f);
    warned = dup_shown_warnings (&f);
    g_assert_cmpstr (warned, ==, "The region code 110199 is not a known county: check the card\n");
    /* One it knows, of a county since merged: no warning. */
    ow_test_gui_type_text (field (&f, "ID number"), "110103194912310027");
    assert_field_not_wrong (&f, "ID number");
    known = dup_shown_warnings (&f);
    g_assert_cmpstr (known, ==, "");
  }

  /* Lower case and blanks as a clerk may type them; normalized on the way out. */
  ow_test_gui_type_text (field (&f, "ID number"), "110105 19491231 002x");
  assert_field_not_wrong (&f, "ID number");

  ow_test_gui_type_text (field (&f, "Mobile"), "1380013800");
  assert_field_wrong (&f, "Mobile", "A mobile number has 11 digits; this one has 10");
  ow_test_gui_type_text (field (&f, "Mobile"), "12800138000");
  assert_field_wrong (&f, "Mobile", "starts with 13 to 19, not 12");
  ow_test_gui_type_text (field (&f, "Mobile"), "+86 138-0013-8000");
  assert_field_not_wrong (&f, "Mobile");
  assert_no_errors_shown (&f);

  /* Still no name. */
  assert_problem (&f, "Fill in the applicant's name, ID number and mobile.");
  ow_test_gui_type_text (field (&f, "Name"), "  张三 ");
  assert_problem (&f, NULL);

  applicant = ow_applicant_form_build_applicant (f.form);
  g_assert_cmpint (applicant->kind, ==, OW_APPLICANT_PERSON);
  g_assert_cmpstr (applicant->name, ==, "张三");
  g_assert_cmpstr (applicant->id_number, ==, "11010519491231002X");
  g_assert_cmpstr (applicant->phone, ==, "13800138000");
  g_assert_null (applicant->contact_name);
  g_assert_null (ow_applicant_form_build_agent (f.form));
  g_clear_pointer (&applicant, ow_applicant_free);

  /* An organisation: the labels say what to type, the number is now a credit code. */
  before = f.changes;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (&f, "Kind")), 1);
  ow_test_gui_settle (50);
  g_assert_cmpuint (f.changes, >, before);
  g_assert_true (gtk_widget_is_visible (field (&f, "Credit code")));
  g_assert_true (gtk_widget_is_visible (field (&f, "Registered name")));
  g_assert_true (gtk_widget_is_visible (field (&f, "Person who came")));
  assert_field_wrong (&f, "Credit code", "The check character should be B, not X");
  assert_problem (&f, "Fill in the organisation's registered name, credit code and mobile.");

  ow_test_gui_type_text (field (&f, "Credit code"), "91350100M000100Y44");
  assert_field_wrong (&f, "Credit code", "The check character should be 3, not 4");
  ow_test_gui_type_text (field (&f, "Credit code"), "91350100m000100y43");
  assert_field_not_wrong (&f, "Credit code");
  ow_test_gui_type_text (field (&f, "Registered name"), "海口椰风餐饮有限公司");
  /* The person who came is optional. */
  assert_problem (&f, NULL);
  ow_test_gui_type_text (field (&f, "Person who came"), "李四");

  applicant = ow_applicant_form_build_applicant (f.form);
  g_assert_cmpint (applicant->kind, ==, OW_APPLICANT_ORGANISATION);
  g_assert_cmpstr (applicant->name, ==, "海口椰风餐饮有限公司");
  g_assert_cmpstr (applicant->id_number, ==, "91350100M000100Y43");
  g_assert_cmpstr (applicant->phone, ==, "13800138000");
  g_assert_cmpstr (applicant->contact_name, ==, "李四");
  g_clear_pointer (&applicant, ow_applicant_free);

  /* Back to a person: a credit code is no resident ID; the person who came goes away. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (&f, "Kind")), 0);
  ow_test_gui_settle (50);
  g_assert_false (gtk_widget_is_visible (field (&f, "Person who came")));
  assert_field_wrong (&f, "ID number", "resident ID number");
  assert_problem (&f, "Fill in the applicant's name, ID number and mobile.");

  /* Reset empties the form and leaves nothing marked. */
  before = f.changes;
  ow_applicant_form_reset (f.form);
  g_assert_cmpuint (f.changes, ==, before + 1);
  g_assert_cmpstr (text_of (&f, "ID number"), ==, "");
  g_assert_cmpstr (text_of (&f, "Name"), ==, "");
  g_assert_cmpstr (text_of (&f, "Mobile"), ==, "");
  assert_no_errors_shown (&f);
  assert_field_not_wrong (&f, "ID number");

  /* focus() puts the caret where the clerk starts: the ID number. */
  ow_applicant_form_focus (f.form);
  ow_test_gui_settle (20);
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, field (&f, "ID number")));

  fixture_tear_down (&f);
}

static void
test_agent (void)
{
  Fixture f;
  g_autoptr(OwApplicant) agent = NULL;
  g_autoptr(OwApplicant) applicant = NULL;
  g_autoptr(OwApplicant) round_applicant = NULL;
  g_autoptr(OwApplicant) round_agent = NULL;
  GtkWidget *row;
  gboolean has_agent = FALSE;
  guint before;

  fixture_set_up (&f);
  ow_test_gui_type_text (field (&f, "ID number"), ID_PERSON);
  ow_test_gui_type_text (field (&f, "Name"), "王芳");
  ow_test_gui_type_text (field (&f, "Mobile"), "13800138000");
  assert_problem (&f, NULL);

  /* Off: the agent's fields are not there for anyone. */
  g_assert_false (ow_applicant_form_get_has_agent (f.form));
  g_assert_false (gtk_widget_is_visible (field (&f, "Agent's name")));
  g_assert_false (gtk_widget_is_visible (field (&f, "Agent's ID number")));
  g_assert_false (gtk_widget_is_visible (field (&f, "Agent's mobile")));

  /* On, as from the keyboard: activating the row flips its switch. */
  row = ow_test_gui_find_row (f.form, ADW_TYPE_ACTION_ROW,
                             "Someone else applies on the applicant's behalf");
  before = f.changes;
  gtk_widget_activate (row);
  /* At once, not at the end of the switch's animation: the clerk's next Tab goes to the
   * agent's name. */
  g_assert_true (ow_applicant_form_get_has_agent (f.form));
  g_assert_cmpuint (f.agent_notifies, ==, 1);
  /* And the animation's end does not flip it back. */
  ow_test_gui_settle (300);
  g_assert_true (ow_applicant_form_get_has_agent (f.form));
  g_assert_cmpuint (f.agent_notifies, ==, 1);
  g_assert_cmpuint (f.changes, >, before);
  g_assert_true (gtk_widget_is_visible (field (&f, "Agent's name")));
  g_assert_true (gtk_widget_is_visible (field (&f, "Agent's ID number")));
  g_assert_true (gtk_widget_is_visible (field (&f, "Agent's mobile")));
  /* Switching on marks nothing yet: the agent's fields are untouched. */
  assert_no_errors_shown (&f);
  assert_problem (&f, "Fill in the agent's name, ID number and mobile.");

  ow_test_gui_screenshot (GTK_WIDGET (f.window), "applicant-form-agent.png");

  ow_test_gui_type_text (field (&f, "Agent's name"), "陈明");
  assert_problem (&f, "Fill in the agent's name, ID number and mobile.");

  /* The applicant cannot be their own agent. */
  ow_test_gui_type_text (field (&f, "Agent's ID number"), ID_PERSON);
  assert_field_wrong (&f, "Agent's ID number", "The agent cannot be the applicant.");
  assert_problem (&f, "The agent cannot be the applicant.");

  /* An agent is a natural person: a credit code is refused. */
  ow_test_gui_type_text (field (&f, "Agent's ID number"), CREDIT_CODE);
  assert_field_wrong (&f, "Agent's ID number", "resident ID number");
  assert_problem (&f, "Fill in the agent's name, ID number and mobile.");

  ow_test_gui_type_text (field (&f, "Agent's ID number"), "110105 19000101 001x");
  assert_field_not_wrong (&f, "Agent's ID number");
  assert_problem (&f, "Fill in the agent's name, ID number and mobile.");
  ow_test_gui_type_text (field (&f, "Agent's mobile"), "1391234567");
  assert_field_wrong (&f, "Agent's mobile", "this one has 10");
  assert_problem (&f, "Fill in the agent's name, ID number and mobile.");
  ow_test_gui_type_text (field (&f, "Agent's mobile"), "+86 139 1234 5678");
  assert_no_errors_shown (&f);
  assert_problem (&f, NULL);

  agent = ow_applicant_form_build_agent (f.form);
  g_assert_nonnull (agent);
  g_assert_cmpint (agent->kind, ==, OW_APPLICANT_PERSON);
  g_assert_cmpstr (agent->name, ==, "陈明");
  g_assert_cmpstr (agent->id_number, ==, ID_AGENT);
  g_assert_cmpstr (agent->phone, ==, "13912345678");

  applicant = ow_applicant_form_build_applicant (f.form);
  g_assert_cmpstr (applicant->id_number, ==, ID_PERSON);

  /* Off again: no agent, and the form is complete without one. */
  before = f.changes;
  ow_applicant_form_set_has_agent (f.form, FALSE);
  ow_test_gui_settle (50);
  g_assert_cmpuint (f.agent_notifies, ==, 2);
  g_assert_cmpuint (f.changes, >, before);
  g_assert_false (gtk_widget_is_visible (field (&f, "Agent's name")));
  g_assert_null (ow_applicant_form_build_agent (f.form));
  assert_problem (&f, NULL);
  /* Setting what it already is notifies nothing. */
  ow_applicant_form_set_has_agent (f.form, FALSE);
  g_assert_cmpuint (f.agent_notifies, ==, 2);

  /* A draft coming back: everything filled, the agent on, one "changed", no recall. */
  ow_applicant_form_reset (f.form);
  g_assert_false (ow_applicant_form_get_has_agent (f.form));
  before = f.changes;
  ow_applicant_form_set (f.form, applicant, agent);
  g_assert_cmpuint (f.changes, ==, before + 1);
  g_object_get (f.form, "has-agent", &has_agent, NULL);
  g_assert_true (has_agent);
  round_applicant = ow_applicant_form_build_applicant (f.form);
  round_agent = ow_applicant_form_build_agent (f.form);
  g_assert_true (ow_applicant_equal (round_applicant, applicant));
  g_assert_true (ow_applicant_equal (round_agent, agent));
  assert_problem (&f, NULL);

  /* The property works both ways. */
  g_object_set (f.form, "has-agent", FALSE, NULL);
  g_assert_false (ow_applicant_form_get_has_agent (f.form));
  g_assert_null (ow_applicant_form_build_agent (f.form));

  fixture_tear_down (&f);
}

static void
test_recall (void)
{
  Fixture f;
  g_autoptr(OwApplicant) older = make_applicant (OW_APPLICANT_PERSON, "张三", ID_PERSON,
                                                 "13800138000", NULL);
  g_autoptr(OwApplicant) newer = make_applicant (OW_APPLICANT_PERSON, "张三", ID_PERSON,
                                                 "13900139000", NULL);
  g_autoptr(OwApplicant) organisation = make_applicant (OW_APPLICANT_ORGANISATION,
                                                        "海口椰风餐饮有限公司", CREDIT_CODE,
                                                        "13700137000", "李四");
  g_autoptr(OwApplicant) drafted = make_applicant (OW_APPLICANT_PERSON, "王五", ID_PERSON,
                                                   NULL, NULL);
  g_autofree char *older_no = NULL;
  g_autofree char *newer_no = NULL;
  g_autofree char *organisation_no = NULL;
  GtkLabel *line;
  GtkWidget *button;
  OwApplicantForm *orphan;
  guint before;

  fixture_set_up (&f);
  save_earlier_case (&f, 1, "2026-11-20T02:30:00Z", older, &older_no);
  /* Received at 01:00 on 25 November in Haikou, still the 24th in UTC. */
  save_earlier_case (&f, 2, "2026-11-24T17:00:00Z", newer, &newer_no);
  save_earlier_case (&f, 3, "2026-11-21T03:00:00Z", organisation, &organisation_no);
  button = ow_test_gui_find_button (f.form, "Use Earlier Details");

  /* A wrong ID, and a valid one nobody applied with before: no recall. */
  ow_test_gui_type_text (field (&f, "ID number"), "460100199902281239");
  ow_test_gui_settle (300);
  g_assert_null (find_recall_line (&f));
  ow_test_gui_type_text (field (&f, "ID number"), ID_PERSON_OTHER);
  ow_test_gui_settle (300);
  g_assert_null (find_recall_line (&f));
  g_assert_cmpstr (text_of (&f, "Name"), ==, "");

  /* Typed on before the store answered: the first answer is dropped. Nothing runs the main
   * loop between the two, so the first look-up cannot have been delivered. */
  gtk_editable_set_text (GTK_EDITABLE (field (&f, "ID number")), ID_PERSON);
  gtk_editable_set_text (GTK_EDITABLE (field (&f, "ID number")), ID_PERSON_OTHER);
  ow_test_gui_settle (300);
  g_assert_null (find_recall_line (&f));
  g_assert_cmpstr (text_of (&f, "Name"), ==, "");
  g_assert_cmpstr (text_of (&f, "Mobile"), ==, "");

  /* A returning applicant: empty fields are filled from the newest case. */
  ow_test_gui_type_text (field (&f, "ID number"), "");
  before = f.changes;
  ow_test_gui_type_text (field (&f, "ID number"), ID_PERSON);
  ow_test_gui_wait_until (name_and_mobile_filled, &f, "the name and mobile to be recalled");
  g_assert_cmpstr (text_of (&f, "Name"), ==, "张三");
  g_assert_cmpstr (text_of (&f, "Mobile"), ==, "13900139000");
  g_assert_cmpuint (f.changes, >=, before + 2);
  line = find_recall_line (&f);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (gtk_label_get_text (line), newer_no));
  g_assert_nonnull (strstr (gtk_label_get_text (line), "2026-11-25"));
  g_assert_false (gtk_widget_is_visible (button));
  assert_problem (&f, NULL);

  /* The clerk typed another name first: it stays, and the earlier one is offered. */
  ow_applicant_form_reset (f.form);
  g_assert_null (find_recall_line (&f));
  ow_test_gui_type_text (field (&f, "Name"), "张叁");
  ow_test_gui_type_text (field (&f, "ID number"), ID_PERSON);
  ow_test_gui_wait_until (recall_line_shown, &f, "the earlier details to be offered");
  g_assert_cmpstr (text_of (&f, "Name"), ==, "张叁");
  g_assert_cmpstr (text_of (&f, "Mobile"), ==, "13900139000");
  line = find_recall_line (&f);
  g_assert_nonnull (strstr (gtk_label_get_text (line), "has other details"));
  g_assert_nonnull (strstr (gtk_label_get_text (line), newer_no));
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));

  ow_test_gui_screenshot (GTK_WIDGET (f.window), "applicant-form-recall.png");

  before = f.changes;
  /* A button activated from the keyboard clicks after showing itself pressed. */
  gtk_widget_activate (button);
  ow_test_gui_wait_until (button_hidden, button, "the earlier details to be taken");
  g_assert_cmpstr (text_of (&f, "Name"), ==, "张三");
  g_assert_cmpuint (f.changes, ==, before + 1);
  g_assert_false (gtk_widget_is_visible (button));
  line = find_recall_line (&f);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (gtk_label_get_text (line), "details from case"));

  /* Another ID: the line goes. */
  ow_test_gui_type_text (field (&f, "ID number"), ID_PERSON_OTHER);
  g_assert_null (find_recall_line (&f));

  /* A draft coming back is the clerk's own work: no look-up overwrites or offers. */
  ow_applicant_form_set (f.form, drafted, NULL);
  ow_test_gui_settle (300);
  g_assert_null (find_recall_line (&f));
  g_assert_cmpstr (text_of (&f, "Name"), ==, "王五");
  g_assert_cmpstr (text_of (&f, "Mobile"), ==, "");

  /* An organisation: its registered name, mobile and the person who came last time. */
  ow_applicant_form_reset (f.form);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (&f, "Kind")), 1);
  ow_test_gui_type_text (field (&f, "Credit code"), CREDIT_CODE);
  ow_test_gui_wait_until (recall_line_shown, &f, "the organisation to be recalled");
  g_assert_cmpstr (text_of (&f, "Registered name"), ==, "海口椰风餐饮有限公司");
  g_assert_cmpstr (text_of (&f, "Mobile"), ==, "13700137000");
  g_assert_cmpstr (text_of (&f, "Person who came"), ==, "李四");
  g_assert_nonnull (strstr (gtk_label_get_text (find_recall_line (&f)), organisation_no));
  g_assert_nonnull (strstr (gtk_label_get_text (find_recall_line (&f)), "2026-11-21"));

  /* A form gone while its look-up runs: the answer is dropped, nothing is touched. */
  orphan = g_object_ref_sink (OW_APPLICANT_FORM (ow_applicant_form_new ()));
  ow_applicant_form_set_context (orphan, f.counter.context);
  gtk_editable_set_text (GTK_EDITABLE (ow_test_gui_find_labelled (orphan, "ID number")),
                         ID_PERSON);
  g_object_run_dispose (G_OBJECT (orphan));
  g_object_unref (orphan);
  ow_test_gui_settle (300);

  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  ow_test_gui_init (&argc, &argv);

  g_test_add_func ("/applicant-form/agent", test_agent);
  g_test_add_func ("/applicant-form/recall", test_recall);
  g_test_add_func ("/applicant-form/validation", test_validation);
  return g_test_run ();
}
