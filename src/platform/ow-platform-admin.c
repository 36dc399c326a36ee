/* ow-platform-admin.c — onewindow-platform admin: users, catalog and cases from the shell
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Works on the database directly, also while platforms serve it: SQLite's WAL mode and busy
 * timeout, or PostgreSQL's transactions, serialise the writes, and the servers notice the changes
 * in their feed (PostgreSQL tells them at once).
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/ow-case.h"
#include "net/ow-json.h"
#include "platform/ow-platform-admin.h"
#include "platform/ow-platform-demo.h"
#include "platform/ow-platform-private.h"

#define ADMIN_USER   "admin"
#define MAX_PASSWORD 1024

/* admin: the hall's administrator, who works with this command and no counter. */
static const char *known_roles[] = { "clerk", "pickup", "supervisor", "department", "admin",
                                     NULL };

typedef struct
{
  char    *db_path;
  char   **roles;
  char    *display_name;
  char    *hall;
  char    *hall_name;
  int      counter;
  char    *department;
  char    *state;
  char    *note;
  char    *waybill;
  char    *address;
} AdminOptions;

static void
admin_options_clear (AdminOptions *options)
{
  g_free (options->db_path);
  g_strfreev (options->roles);
  g_free (options->display_name);
  g_free (options->hall);
  g_free (options->hall_name);
  g_free (options->department);
  g_free (options->state);
  g_free (options->note);
  g_free (options->waybill);
  g_free (options->address);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdminOptions, admin_options_clear)

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s\n%s\n", message, _("Run “onewindow-platform admin --help” for the commands"));
  return OW_ADMIN_EXIT_USAGE;
}

static int
failed (const GError *error)
{
  g_printerr ("%s\n", error->message);
  return OW_ADMIN_EXIT_FAILED;
}

/* Reads one line from stdin without echoing it when stdin is a terminal. Never from argv: the
 * command line of a process is visible to every user of the machine. */
static char *
read_password (void)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO);
  char buffer[MAX_PASSWORD + 2];
  char *line;

  if (terminal)
    {
      g_printerr ("%s", _("Password: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  line = fgets (buffer, sizeof buffer, stdin);
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (line == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  sodium_memzero (buffer, sizeof buffer);
  return line;
}

static gboolean
is_valid_username (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* The hall's name from the newest catalog when it is the catalog's hall. */
static char *
find_hall_name (OwPlatformDb *db,
                const char   *hall)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gint64 revision;

  if (!ow_platform_db_get_catalog (db, &revision, &body, NULL, NULL) || body == NULL ||
      (root = ow_json_parse (body, -1, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "hall") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "hall")))
    return NULL;
  object = json_object_get_object_member (object, "hall");
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "code", NULL), hall) != 0)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (object, "name", NULL));
}

/* The department @text names in the newest catalog's `departments`, by its name, its unified
 * social credit code or its short name, as the name the catalog's items spell it with; NULL
 * after printing why when it names none. */
static char *
find_department (OwPlatformDb *db,
                 const char   *text)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *departments = NULL;
  gint64 revision;

  if (ow_platform_db_get_catalog (db, &revision, &body, NULL, NULL) && body != NULL &&
      (root = ow_json_parse (body, -1, NULL)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      if (json_object_has_member (object, "departments") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "departments")))
        departments = json_object_get_array_member (object, "departments");
    }
  if (departments == NULL)
    {
      g_printerr ("%s\n", _("The platform holds no catalog to check the department against: "
                            "import the catalog first (import-catalog FILE)"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (departments); i++)
    {
      JsonNode *node = json_array_get_element (departments, i);
      JsonObject *department;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      department = json_node_get_object (node);
      name = json_object_get_string_member_with_default (department, "name", NULL);
      if (name == NULL)
        continue;
      if (g_str_equal (name, text) ||
          g_strcmp0 (json_object_get_string_member_with_default (department, "code", NULL),
                     text) == 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (department, "short", NULL),
                     text) == 0)
        return g_strdup (name);
    }
  g_printerr (_("The catalog names no department “%s”: give its name as the catalog spells it "
                "(such as 海口市市场监督管理局), its credit code or its short name\n"), text);
  return NULL;
}

/* Checks --department against the roles; NULL in @department when the user has none. */
static int
resolve_department (OwPlatformDb  *db,
                    AdminOptions  *options,
                    char         **department)
{
  gboolean is_department = g_strv_contains ((const char * const *) options->roles, "department");

  *department = NULL;
  if (is_department && options->department == NULL)
    return usage_error (_("A department user works for a department: name it with --department "
                          "(as the catalog spells it, or its credit code)"));
  if (!is_department && options->department != NULL)
    return usage_error (_("Only a user with the role department works for a department: drop "
                          "--department or add --role department"));
  if (options->department != NULL &&
      (*department = find_department (db, options->department)) == NULL)
    return OW_ADMIN_EXIT_USAGE;
  return OW_ADMIN_EXIT_OK;
}

static int
create_user (OwPlatformDb *db,
             AdminOptions *options,
             const char   *username)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hall_name = NULL;
  g_autofree char *department = NULL;
  char hash[crypto_pwhash_STRBYTES];
  OwPlatformUser user = { 0, };
  gboolean added;
  int status;

  if (!is_valid_username (username))
    return usage_error (_("“%s” is not a user name: use 1 to 64 letters, digits, “.”, “_” or “-”"),
                        username);
  if (options->roles == NULL)
    return usage_error (_("Give the user a role with --role (%s)"),
                        "clerk, pickup, supervisor, department");
  for (guint i = 0; options->roles[i] != NULL; i++)
    if (!g_strv_contains (known_roles, options->roles[i]))
      return usage_error (_("“%s” is not a role: use clerk, pickup, supervisor, department or "
                            "admin"),
                          options->roles[i]);
  if (options->counter < 0 || options->counter > 9999)
    return usage_error (_("The counter must be a number from 0 to 9999"));
  /* The interface names people by this, never by their user name. */
  if (options->display_name == NULL || *g_strstrip (options->display_name) == '\0')
    return usage_error (_("Give the person’s name with --display-name: the counters show it "
                          "instead of the user name"));
  if ((status = resolve_department (db, options, &department)) != OW_ADMIN_EXIT_OK)
    return status;
  if (options->hall == NULL)
    options->hall = g_strdup (OW_DEMO_HALL);
  hall_name = options->hall_name != NULL ? g_strdup (options->hall_name)
                                         : find_hall_name (db, options->hall);
  if (hall_name == NULL)
    return usage_error (_("The catalog does not name hall %s: give its name with --hall-name"),
                        options->hall);

  password = read_password ();
  if (password == NULL || *password == '\0')
    return usage_error (_("Type the new user’s password on standard input (one line, not empty)"));
  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_printerr ("%s\n", _("Out of memory while hashing the password"));
      return OW_ADMIN_EXIT_FAILED;
    }
  sodium_memzero (password, strlen (password));

  user.username = (char *) username;
  user.display_name = options->display_name;
  user.password_hash = hash;
  user.roles = options->roles;
  user.hall = options->hall;
  user.hall_name = hall_name;
  user.counter = (guint) options->counter;
  user.department = department;
  if (!ow_platform_db_add_user (db, &user, &added, &error))
    return failed (error);
  if (!added)
    {
      g_printerr (_("There is already a user “%s”\n"), username);
      return OW_ADMIN_EXIT_FAILED;
    }
  g_print (_("Created user %s\n"), username);
  return OW_ADMIN_EXIT_OK;
}

/* For department users made before users had departments, or who moved to another one. */
static int
set_department (OwPlatformDb *db,
                AdminOptions *options,
                const char   *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwPlatformUser) user = NULL;
  g_autofree char *department = NULL;

  if (options->department == NULL)
    return usage_error (_("Name the department with --department"));
  if ((user = ow_platform_db_lookup_user (db, username, &error)) == NULL)
    {
      if (error != NULL)
        return failed (error);
      g_printerr (_("There is no user “%s”\n"), username);
      return OW_ADMIN_EXIT_FAILED;
    }
  if (!ow_platform_user_has_role (user, "department"))
    return usage_error (_("“%s” does not have the role department"), username);
  if ((department = find_department (db, options->department)) == NULL)
    return OW_ADMIN_EXIT_USAGE;
  /* The user was looked up above: no need to be told again that there is one. */
  if (!ow_platform_db_set_user_department (db, username, department, NULL, &error))
    return failed (error);
  g_print (_("User %s works for %s\n"), username, department);
  return OW_ADMIN_EXIT_OK;
}

static int
import_catalog (OwPlatformDb *db,
                const char   *path)
{
  g_autoptr(GError) error = NULL;
  gint64 revision = 0;

  if (!ow_platform_db_begin (db, &error))
    return failed (error);
  if (!ow_platform_demo_import_catalog (db, path, &revision, &error) ||
      !ow_platform_db_commit (db, &error))
    {
      ow_platform_db_rollback (db);
      return failed (error);
    }
  g_print (_("The catalog is at revision %lld\n"), (long long) revision);
  return OW_ADMIN_EXIT_OK;
}

/* A person who left or lost their card: no more log-ins, online or, once their counter hears
 * it from the platform, offline. */
static int
set_disabled (OwPlatformDb *db,
              const char   *username,
              gboolean      disabled)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!ow_platform_db_begin (db, &error))
    return failed (error);
  if (!ow_platform_db_set_user_disabled (db, username, disabled, &found, &error) ||
      !ow_platform_db_commit (db, &error))
    {
      ow_platform_db_rollback (db);
      return failed (error);
    }
  if (!found)
    {
      g_printerr (_("There is no user “%s”\n"), username);
      return OW_ADMIN_EXIT_FAILED;
    }
  g_print (disabled ? _("Disabled user %s\n") : _("Enabled user %s\n"), username);
  return OW_ADMIN_EXIT_OK;
}

static int
list_cases (OwPlatformDb *db,
            AdminOptions *options)
{
  OwPlatformCaseFilter filter = { NULL, NULL, -1, NULL, 0, 0, 200 };
  OwCaseState state;

  if (options->state != NULL && !ow_case_state_from_string (options->state, &state))
    return usage_error (_("“%s” is not a case state (received, accepted, approved, "
                          "result-ready …)"), options->state);
  filter.state = options->state;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = ow_platform_db_list_cases (db, &filter, &error);

      if (rows == NULL)
        return failed (error);
      for (guint i = 0; i < rows->len && i < filter.limit; i++)
        {
          OwPlatformCaseRow *row = g_ptr_array_index (rows, i);
          g_autoptr(JsonNode) root = ow_json_parse (row->body, -1, NULL);
          g_autofree char *updated = ow_platform_format_utc (row->updated_at);
          const char *case_no = "";

          if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
            case_no = json_object_get_string_member_with_default (json_node_get_object (root),
                                                                  "case_no", "");
          g_print ("%s\t%s\t%s\n", case_no, row->state, updated);
          filter.after = row->change_seq;
        }
      if (rows->len <= filter.limit)
        break;
    }
  return OW_ADMIN_EXIT_OK;
}

static int
move_case (OwPlatformDb *db,
           AdminOptions *options,
           const char   *case_no,
           const char   *kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  OwPlatformPutResult result;
  OwCaseEventKind event_kind;

  if (!ow_case_event_kind_from_string (kind, &event_kind))
    return usage_error (_("“%s” is not an event (accepted, approved, result-ready, handed-over, "
                          "mailed …)"), kind);
  if (event_kind == OW_CASE_EVENT_MAILED && options->waybill == NULL)
    return usage_error (_("A mailed result needs its waybill number: add --waybill NUMBER"));

  if (!ow_platform_record_case_event (db, case_no, kind, options->note, options->waybill,
                                      ADMIN_USER, &result, &reason, &error))
    return failed (error);
  switch (result)
    {
    case OW_PLATFORM_PUT_CREATED:
      g_print (_("Case %s: %s\n"), case_no, kind);
      return OW_ADMIN_EXIT_OK;
    case OW_PLATFORM_PUT_NOT_FOUND:
      g_printerr (_("There is no case %s\n"), case_no);
      return OW_ADMIN_EXIT_FAILED;
    case OW_PLATFORM_PUT_ILLEGAL:
    default:
      g_printerr ("%s\n", reason != NULL ? reason : _("The case cannot take this step now"));
      return OW_ADMIN_EXIT_FAILED;
    }
}

/* Failed log-ins lock a user name for one client address (ow-platform-login-limit.c). */
static int
unlock_user (OwPlatformDb *db,
             AdminOptions *options,
             const char   *username)
{
  g_autoptr(GError) error = NULL;
  guint unlocked = 0;

  if (options->address != NULL)
    {
      g_autoptr(GInetAddress) parsed = g_inet_address_new_from_string (options->address);

      if (parsed == NULL)
        return usage_error (_("“%s” is not an IP address"), options->address);
    }
  if (!ow_platform_db_unlock_logins (db, username, options->address, ADMIN_USER,
                                     ow_platform_now (), &unlocked, &error))
    return failed (error);
  if (unlocked == 0)
    {
      g_printerr (_("Log-ins as %s are not locked\n"), username);
      return OW_ADMIN_EXIT_FAILED;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Lifted %u lock of %s\n", "Lifted %u locks of %s\n",
                        unlocked), unlocked, username);
  return OW_ADMIN_EXIT_OK;
}

static int
list_locks (OwPlatformDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locks = ow_platform_db_list_login_locks (db, &error);

  if (locks == NULL)
    return failed (error);
  for (guint i = 0; i < locks->len; i++)
    {
      OwPlatformLoginFailures *lock = g_ptr_array_index (locks, i);
      g_autofree char *at = ow_platform_format_utc (lock->locked_at);

      g_print ("%s\t%s\t%u\t%s\n", lock->username, lock->address, lock->failures, at);
    }
  return OW_ADMIN_EXIT_OK;
}

static int
show_audit (OwPlatformDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = ow_platform_db_list_audit (db, 1000, &error);

  if (records == NULL)
    return failed (error);
  for (guint i = 0; i < records->len; i++)
    {
      OwPlatformAuditRecord *record = g_ptr_array_index (records, i);
      g_autofree char *at = ow_platform_format_utc (record->at);

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", at, record->actor, record->event, record->subject,
               record->address != NULL ? record->address : "-",
               record->detail != NULL ? record->detail : "");
    }
  return OW_ADMIN_EXIT_OK;
}

int
ow_platform_admin_run (int    argc,
                       char **argv)
{
  g_auto(AdminOptions) options = { .counter = 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OwPlatformDb) db = NULL;
  g_auto(GStrv) args = NULL;
  const char *command;
  guint n_args;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &options.db_path,
      N_("The platform’s database: its SQLite file or PostgreSQL URI"), N_("PATH|URI") },
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.roles,
      N_("create-user: a role (clerk, pickup, supervisor, department, admin); may repeat"),
      N_("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &options.display_name,
      N_("create-user: the name shown to people"), N_("NAME") },
    { "hall", 0, 0, G_OPTION_ARG_STRING, &options.hall,
      N_("create-user: the hall’s code (default " OW_DEMO_HALL ")"), N_("CODE") },
    { "hall-name", 0, 0, G_OPTION_ARG_STRING, &options.hall_name,
      N_("create-user: the hall’s name (default: the catalog’s)"), N_("NAME") },
    { "counter", 0, 0, G_OPTION_ARG_INT, &options.counter,
      N_("create-user: the clerk’s counter number"), N_("N") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &options.department,
      N_("create-user, set-department: the department a department user works for (its name in "
         "the catalog, its credit code or short name)"), N_("DEPARTMENT") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &options.state,
      N_("list-cases: only cases in this state"), N_("STATE") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &options.note,
      N_("move-case: a note on the event"), N_("TEXT") },
    { "waybill", 0, 0, G_OPTION_ARG_STRING, &options.waybill,
      N_("move-case mailed: the waybill number"), N_("NUMBER") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &options.address,
      N_("unlock: only the lock for this client address"), N_("ADDRESS") },
    { NULL }
  };

  /* argv without "admin", so that the option parser sees the program name first. */
  args = g_new0 (char *, argc);
  args[0] = g_strdup (argv[0]);
  for (int i = 2; i < argc; i++)
    args[i - 1] = g_strdup (argv[i]);

  context = g_option_context_new (_("COMMAND …"));
  g_option_context_set_summary (context, _("Administers a OneWindow platform database."));
  g_option_context_set_description (context,
    _("Commands:\n"
      "  create-user NAME --role ROLE --display-name NAME [--hall …] [--counter N]\n"
      "              [--department DEPARTMENT]  (the password is read from standard input)\n"
      "  set-department NAME --department DEPARTMENT\n"
      "  disable-user NAME\n"
      "  enable-user NAME\n"
      "  import-catalog FILE\n"
      "  list-cases [--state STATE]\n"
      "  move-case CASE_NO EVENT_KIND [--note TEXT] [--waybill NUMBER]\n"
      "  list-locks            (user names locked after failed log-ins, by address)\n"
      "  unlock NAME [--address ADDRESS]\n"
      "  audit                 (the newest 1,000 records of the audit log)\n"
      "\n"
      "Exit status: 0 done, 1 failed, 2 wrong command line.\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, &error))
    return usage_error ("%s", error->message);

  n_args = g_strv_length (args);
  if (n_args < 2)
    return usage_error (_("Name a command: create-user, set-department, disable-user, "
                          "enable-user, import-catalog, list-cases, move-case, list-locks, "
                          "unlock or audit"));
  if (options.db_path == NULL)
    return usage_error (_("Name the database with --db PATH or --db URI"));
  command = args[1];

  if (sodium_init () < 0)
    {
      g_printerr ("%s\n", _("libsodium could not be initialised"));
      return OW_ADMIN_EXIT_FAILED;
    }
  /* An admin command never creates a database: a typo in the path should not go unnoticed. */
  if ((db = ow_platform_db_open (options.db_path, OW_PLATFORM_DB_OPEN_EXISTING, &error)) == NULL)
    return failed (error);

  if (g_str_equal (command, "create-user") && n_args == 3)
    return create_user (db, &options, args[2]);
  if (g_str_equal (command, "disable-user") && n_args == 3)
    return set_disabled (db, args[2], TRUE);
  if (g_str_equal (command, "enable-user") && n_args == 3)
    return set_disabled (db, args[2], FALSE);
  if (g_str_equal (command, "set-department") && n_args == 3)
    return set_department (db, &options, args[2]);
  if (g_str_equal (command, "import-catalog") && n_args == 3)
    return import_catalog (db, args[2]);
  if (g_str_equal (command, "list-cases") && n_args == 2)
    return list_cases (db, &options);
  if (g_str_equal (command, "move-case") && n_args == 4)
    return move_case (db, &options, args[2], args[3]);
  if (g_str_equal (command, "list-locks") && n_args == 2)
    return list_locks (db);
  if (g_str_equal (command, "unlock") && n_args == 3)
    return unlock_user (db, &options, args[2]);
  if (g_str_equal (command, "audit") && n_args == 2)
    return show_audit (db);
  return usage_error (_("“%s” with %u arguments is not a command"), command, n_args - 2);
}
