/* test-overview-exports.c — the supervisor's exports: .xlsx read back by openpyxl, CSV, and the
 * one-page indicator report read back by poppler
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workbook is opened by Debian's python3-openpyxl (the way a spreadsheet reads it, not our
 * own writer's idea of it): each sheet's name, its Chinese headers, and each cell's value and
 * type — numbers as numbers, dates as date cells, shares as numbers with a percentage format.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/ow-reform.h"
#include "documents/ow-document.h"
#include "documents/ow-spreadsheet.h"

static char *
run (const char * const *argv,
     int                *status_out)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (status_out != NULL)
    *status_out = status;
  else if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return out;
}

static GPtrArray *
make_tables (void)
{
  GPtrArray *tables = g_ptr_array_new_with_free_func ((GDestroyNotify) ow_table_unref);
  OwTable *cases = ow_table_new ("超期办件");
  OwTable *indicators = ow_table_new ("改革指标");
  GDate promised;

  g_date_clear (&promised, 1);
  g_date_set_dmy (&promised, 4, G_DATE_DECEMBER, 2026);
  ow_table_add_column (cases, "办件编号");
  ow_table_add_column (cases, "承诺办结日期");
  ow_table_add_column (cases, "超期工作日");
  ow_table_add_column (cases, "申请人");
  ow_table_begin_row (cases);
  ow_table_add_text (cases, "4601000107202612010001X");
  ow_table_add_date (cases, &promised);
  ow_table_add_integer (cases, 4);
  ow_table_add_text (cases, "张三, \"老张\"");
  ow_table_begin_row (cases);
  ow_table_add_text (cases, "=HYPERLINK(\"x\")");
  ow_table_add_date (cases, NULL);
  ow_table_add_integer (cases, 1);
  g_ptr_array_add (tables, cases);

  ow_table_add_column (indicators, "指标");
  ow_table_add_column (indicators, "本期");
  ow_table_add_column (indicators, "件数");
  ow_table_begin_row (indicators);
  ow_table_add_text (indicators, "可办事项使用率");
  ow_table_add_percent (indicators, 0.75);
  ow_table_add_number (indicators, 3.5);
  ow_table_begin_row (indicators);
  ow_table_add_text (indicators, "零跑动事项可办率");
  ow_table_add_percent (indicators, -1);
  ow_table_add_integer (indicators, 0);
  g_ptr_array_add (tables, indicators);
  return tables;
}

static void
test_xlsx (void)
{
  g_autoptr(GPtrArray) tables = make_tables ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ow-xlsx-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "总览.xlsx", NULL);
  g_autofree char *out = NULL;
  const char *reader =
    "import json, sys, datetime, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "out = {}\n"
    "for ws in wb.worksheets:\n"
    "    rows = []\n"
    "    for row in ws.iter_rows():\n"
    "        rows.append([[type(c.value).__name__, c.value.isoformat()[:10]\n"
    "                      if isinstance(c.value, datetime.datetime) else c.value,\n"
    "                      c.number_format] for c in row])\n"
    "    out[ws.title] = {'rows': rows, 'frozen': ws.freeze_panes}\n"
    "out['_title'] = wb.properties.title\n"
    "print(json.dumps(out, ensure_ascii=False))\n";
  const char *argv[] = { "/usr/bin/python3", "-c", reader, path, NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *sheets, *cases, *indicators;
  JsonArray *rows;

  g_assert_no_error (error);
  if (!g_file_test ("/usr/lib/python3/dist-packages/openpyxl", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("python3-openpyxl is not installed (tools/install-deps installs it)");
      return;
    }
  g_assert_true (ow_spreadsheet_write_xlsx (tables, "大厅总览", path, &error));
  g_assert_no_error (error);
  out = run (argv, NULL);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  sheets = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (sheets, "_title"), ==, "大厅总览");

  cases = json_object_get_object_member (sheets, "超期办件");
  g_assert_nonnull (cases);
  g_assert_cmpstr (json_object_get_string_member (cases, "frozen"), ==, "A2");
  rows = json_object_get_array_member (cases, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
#define CELL(r, c) json_array_get_array_element (json_array_get_array_element (rows, r), c)
  g_assert_cmpstr (json_array_get_string_element (CELL (0, 0), 1), ==, "办件编号");
  g_assert_cmpstr (json_array_get_string_element (CELL (0, 2), 1), ==, "超期工作日");
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 1), 0), ==, "datetime");
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 1), 1), ==, "2026-12-04");
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 1), 2), ==, "yyyy-mm-dd");
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 2), 0), ==, "int");
  g_assert_cmpint (json_array_get_int_element (CELL (1, 2), 1), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 3), 1), ==, "张三, \"老张\"");
  /* Text stays text, whatever it looks like; an empty date is an empty cell. */
  g_assert_cmpstr (json_array_get_string_element (CELL (2, 0), 0), ==, "str");
  g_assert_cmpstr (json_array_get_string_element (CELL (2, 1), 0), ==, "NoneType");

  indicators = json_object_get_object_member (sheets, "改革指标");
  rows = json_object_get_array_member (indicators, "rows");
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 1), 0), ==, "float");
  g_assert_cmpfloat (json_array_get_double_element (CELL (1, 1), 1), ==, 0.75);
  g_assert_cmpstr (json_array_get_string_element (CELL (1, 1), 2), ==, "0.0%");
  g_assert_cmpfloat (json_array_get_double_element (CELL (1, 2), 1), ==, 3.5);
  g_assert_cmpstr (json_array_get_string_element (CELL (2, 1), 0), ==, "NoneType");
  g_assert_cmpint (json_array_get_int_element (CELL (2, 2), 1), ==, 0);
#undef CELL

  g_unlink (path);
  g_rmdir (dir);

  /* Where it cannot be written, the error says where and why. */
  g_assert_false (ow_spreadsheet_write_xlsx (tables, "x", "/nonexistent/folder/总览.xlsx",
                                             &error));
  g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_RENDER);
  g_assert_nonnull (strstr (error->message, "/nonexistent/folder"));
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) tables = make_tables ();
  g_autoptr(GBytes) csv = ow_spreadsheet_to_csv (tables);
  gsize size;
  const char *data = g_bytes_get_data (csv, &size);
  g_autofree char *text = g_strndup (data, size);

  /* A byte order mark first, so that Excel and WPS read UTF-8; CRLF; RFC 4180 quoting; a
   * formula taken as text. */
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF超期办件\r\n办件编号,承诺办结日期,超期工作日,申请人\r\n"));
  g_assert_nonnull (strstr (text, "\r\n4601000107202612010001X,2026-12-04,4,\"张三, \"\"老张\"\"\"\r\n"));
  g_assert_nonnull (strstr (text, "\r\n\"'=HYPERLINK(\"\"x\"\")\",,1,\r\n"));
  g_assert_nonnull (strstr (text, "\r\n\r\n改革指标\r\n指标,本期,件数\r\n可办事项使用率,75.0%,3.5\r\n"));
  g_assert_nonnull (strstr (text, "零跑动事项可办率,,0\r\n"));
  g_assert_true (g_utf8_validate (text + 3, -1, NULL));
}

static OwStatistics *
make_statistics (guint departments)
{
  OwStatistics *s = ow_statistics_new ();

  s->hall = g_strdup ("46010001");
  g_date_set_dmy (&s->today, 10, G_DATE_DECEMBER, 2026);
  g_date_set_dmy (&s->from, 1, G_DATE_NOVEMBER, 2026);
  g_date_set_dmy (&s->to, 30, G_DATE_NOVEMBER, 2026);
  s->due_within = 2;
  s->overdue = 12;
  s->due_soon = 6;
  s->by_state[OW_CASE_STATE_SUPPLEMENT_REQUESTED] = 10;
  s->by_state[OW_CASE_STATE_SUSPENDED] = 9;
  s->hall_indicator.reform_items = 152;
  s->hall_indicator.zero_trip_items = 113;
  s->hall_indicator.cases = 147;
  s->hall_indicator.zero_trip_cases = 82;
  for (guint i = 0; i < departments; i++)
    {
      OwStatIndicator *indicator = g_new0 (OwStatIndicator, 1);

      indicator->department = g_strdup_printf ("海口市第%u局", i + 1);
      indicator->reform_items = 10;
      indicator->zero_trip_items = 7;
      indicator->cases = 10 + i;
      indicator->zero_trip_cases = 5;
      g_ptr_array_add (s->indicators, indicator);
    }
  for (guint m = 1; m <= 11; m++)
    {
      g_autofree char *key = g_strdup_printf ("2026-%02u", m);

      g_ptr_array_add (s->usage_by_month, ow_stat_group_new (key, NULL, 100, 40 + 3 * m));
    }
  g_ptr_array_add (s->ratings_by_level, ow_stat_group_new ("1", NULL, 50, 0));
  g_ptr_array_add (s->ratings_by_level, ow_stat_group_new ("5", NULL, 4, 4));
  s->ratings_poor = 14;
  s->ratings_unfollowed = 9;
  return s;
}

static void
check_report (guint departments)
{
  g_autoptr(OwStatistics) statistics = make_statistics (departments);
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 12, 10, 2, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ow-report-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *info_out = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) lines = NULL;
  OwDocumentInfo info;

  ow_document_info_init (&info);
  info.hall_name = "海口市政务服务中心";
  info.organ_name = "海口市政务服务中心";
  info.issued = issued;
  pdf = ow_document_render_indicator_report (statistics, &info, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf),
                       &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
    const char *info_argv[] = { "pdfinfo", path, NULL };

    text = run (argv, NULL);
    info_out = run (info_argv, NULL);
  }
  if (g_getenv ("OW_KEEP_REPORT") != NULL)
    {
      g_autofree char *kept = g_strdup_printf ("%s/report-%u.pdf", g_getenv ("OW_KEEP_REPORT"),
                                               departments);

      g_file_set_contents (kept, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf),
                           NULL);
    }
  lines = g_strsplit (text, "\n", -1);
  joined = g_strjoinv ("", lines);
  /* One page, in Chinese, the figures and the year's targets. */
  {
    g_autoptr(GRegex) pages = g_regex_new ("^Pages: +1$", G_REGEX_MULTILINE, 0, NULL);

    g_assert_true (g_regex_match (pages, info_out, 0, NULL));
  }
  g_assert_nonnull (strstr (joined, "“零跑动”改革指标报告"));
  g_assert_nonnull (strstr (joined, "统计期间：2026年11月1日至2026年11月30日"));
  g_assert_nonnull (strstr (joined, "74.3%（113/152）"));
  g_assert_nonnull (strstr (joined, "55.8%（82/147）"));
  g_assert_nonnull (strstr (joined, "≥95.0%"));
  g_assert_nonnull (strstr (joined, "未达标"));
  g_assert_nonnull (strstr (joined, "海口市第1局"));
  g_assert_nonnull (strstr (joined, "超过承诺时限的办件12件"));
  g_assert_nonnull (strstr (joined, "差评（不满意、非常不满意）4次"));
  if (departments > 12)
    g_assert_nonnull (strstr (joined, "个部门（详见导出表格）"));
  else
    g_assert_null (strstr (joined, "详见导出表格"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_report (void)
{
  check_report (5);
  /* More departments than fit: still one page, the rest summed up. */
  check_report (40);
}

static void
test_report_needs_figures (void)
{
  g_autoptr(OwStatistics) statistics = ow_statistics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  OwDocumentInfo info;

  ow_document_info_init (&info);
  pdf = ow_document_render_indicator_report (statistics, &info, &error);
  g_assert_null (pdf);
  g_assert_error (error, OW_DOCUMENT_ERROR, OW_DOCUMENT_ERROR_INCOMPLETE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/overview-exports/xlsx", test_xlsx);
  g_test_add_func ("/overview-exports/csv", test_csv);
  g_test_add_func ("/overview-exports/report", test_report);
  g_test_add_func ("/overview-exports/report-needs-figures", test_report_needs_figures);
  return g_test_run ();
}
