#!/usr/bin/env python3
# test-supervisor.py — the end-to-end test of issue 13 item 8: the supervisor's overview, driven
# through AT-SPI and the keyboard the way a supervisor works, against the real platform.
#
# Run (meson does) under a fresh X server and session bus:
#   xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- /usr/bin/python3 \
#     tests/e2e/test-supervisor.py --app BUILD/src/gui/onewindow \
#     --platform BUILD/src/platform/onewindow-platform --data-dir data --sane-config-dir tests/sane
# Starts onewindow-platform --demo --demo-history with its clock set (--now) so that some of the
# demo hall's cases are overdue, and puts a few cases of its own through the clerk's API (online,
# by post, at the window, without a channel). Then, outside the app, it computes what the
# overview must show from the raw records only — the calendar, the catalog and every case of the
# hall — never from the platform's statistics: which cases are overdue and by how many working
# days, and the reform's two indicators for the month. In the app it logs in as the supervisor,
# goes to Deadlines with Alt+2 and reads the overdue count and each listed case's working days
# late; exports the section with Ctrl+E (the file chooser's Save) and reads the workbook back
# with openpyxl, finding the platform's statistics in it; goes to Reform Indicators with Alt+4
# and reads both indicators. What the processes share is owe2e.py's.
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import datetime
import json
import os
import re
import sys
import urllib.error
import urllib.request

import owe2e
from owe2e import Failure, atspi, click, find, find_all, log, main, set_text, text_of, \
    wait_for, walk

NOW = '2026-12-10T09:00:00+08:00'    # a Thursday; --demo-history's seed makes some cases late
TODAY = datetime.date(2026, 12, 10)
HALL = '46010001'
REFORM_TYPES = {'01', '05', '07', '08', '09', '10', '20'}   # the "6+1" item types
ZERO_TRIP_CHANNELS = {'online', 'mobile', 'post'}
CLOCK_RUNS = {'received', 'accepted'}
# Case numbers of the test's own cases: counter 9 (no demo clerk's), so they cannot collide.
OWN_COUNTER = 9


# ---------------------------------------------------------------------------------------------
# The platform, over HTTP

class Api:
    def __init__(self, base, username):
        self.base = base
        body = json.dumps({'username': username, 'password': 'demo'}).encode()
        req = urllib.request.Request(base + 'api/v1/sessions', data=body, method='POST',
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.token = json.load(r)['token']

    def call(self, method, path, body=None):
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={'Authorization': 'Bearer ' + self.token,
                                              'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b'{}')

    def get(self, path):
        status, body = self.call('GET', path)
        if status != 200:
            raise Failure(f'GET {path}: {status} {body}')
        return body


def case_number(counter, day, sequence):
    """A case number as the counter makes them (core/ow-case-number.c): hall, counter, date,
    sequence and the ISO 7064 MOD 37,36 check character."""
    base = f'{HALL}{counter:02d}{day:%Y%m%d}{sequence:04d}'
    alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    p = 36
    for ch in base:
        s = (p + alphabet.index(ch)) % 36 or 36
        p = (s * 2) % 37
    return base + alphabet[(37 - p) % 36]


def make_own_cases(clerk, catalog):
    """Four cases of a zero-trip "6+1" item received this month, one per channel the reform
    tells apart (online, post, window, and none: a counter before the channel existed), all
    overdue; made from a demo case of such an item, so that they validate as the demo's do.
    Returns their numbers."""
    zero_items = {i['id'] for i in catalog['items']
                  if i.get('type') in REFORM_TYPES and i.get('visits') == 0}
    template = next((c for c in all_cases(clerk)
                     if c['items'] and c['items'][0]['item_id'] in zero_items), None)
    if template is None:
        raise Failure('the demo history has no case of a zero-trip "6+1" item')
    made = []
    received = datetime.date(2026, 12, 1)              # a Tuesday
    for sequence, channel in enumerate(('online', 'post', 'window', None), start=1):
        body = json.loads(json.dumps(template))
        body.update(case_no=case_number(OWN_COUNTER, received, sequence),
                    query_code='E2E' + 'ABCD'[sequence - 1] * 3, state='accepted',
                    counter=OWN_COUNTER, clerk='clerk',
                    received_at=f'{received:%Y-%m-%d}T02:00:00Z', promised_date='2026-12-03')
        body['applicant']['name'] = '测试' + '甲乙丙丁'[sequence - 1]
        body.pop('channel', None)
        if channel is not None:
            body['channel'] = channel
        for line in body['materials']:
            if line.get('status') == 'tolerated':
                line.update(status='paper', due_date=None)
        status, answer = clerk.call('PUT', f'api/v1/cases/{body["case_no"]}', body)
        if status != 201:
            raise Failure(f'PUT of the test case {body["case_no"]}: {status} {answer}')
        made.append(body['case_no'])
    log('made the cases', ', '.join(made))
    return made


def all_cases(api):
    cases, after = [], None
    while True:
        page = api.get('api/v1/cases?limit=200' + (f'&after={after}' if after else ''))
        cases += page['cases']
        after = page.get('next')
        if not after:
            return cases


# ---------------------------------------------------------------------------------------------
# What the overview must show, computed from the records

def working_day_test(api):
    kinds = {}
    for year in (TODAY.year - 1, TODAY.year):
        days = api.get(f'api/v1/calendar?year={year}')['days']
        for local in (False, True):                    # the hall's own days override the nation's
            for d in days:
                if bool(d.get('local')) == local:
                    kinds[d['date']] = d['kind']

    def working(day):
        kind = kinds.get(day.isoformat())
        return kind == 'work' if kind else day.weekday() < 5
    return working


def days_late(working, promised):
    """The working days in (promised, today]: n(today) − n(promised)."""
    late, day = 0, promised + datetime.timedelta(days=1)
    while day <= TODAY:
        late += working(day)
        day += datetime.timedelta(days=1)
    return late


def hall_day(stamp):
    at = datetime.datetime.fromisoformat(stamp.replace('Z', '+00:00'))
    return (at + datetime.timedelta(hours=8)).date()


def expected_figures(api, own):
    working = working_day_test(api)
    catalog = api.get('api/v1/catalog')
    cases = [c for c in all_cases(api) if c.get('hall') == HALL]
    if not set(own) <= {c['case_no'] for c in cases}:
        raise Failure('the list of cases lacks the test\'s own')
    late = {}
    for c in cases:
        if c['state'] in CLOCK_RUNS and c.get('promised_date'):
            n = days_late(working, datetime.date.fromisoformat(c['promised_date']))
            if n > 0:
                late[c['case_no']] = n
    reform = [i for i in catalog['items'] if i.get('type') in REFORM_TYPES]
    zero_items = {i['id'] for i in reform if i.get('visits') == 0}
    month = [c for c in cases if hall_day(c['received_at']).replace(day=1) == TODAY.replace(day=1)
             and hall_day(c['received_at']) <= TODAY]
    usage_cases = [c for c in month if any(i['item_id'] in zero_items for i in c['items'])]
    usage_zero = [c for c in usage_cases if c.get('channel', 'window') in ZERO_TRIP_CHANNELS]
    figures = {'late': late, 'reform_items': len(reform), 'zero_trip_items': len(zero_items),
               'cases': len(usage_cases), 'zero_trip_cases': len(usage_zero)}
    log(f'computed: {len(late)} overdue case(s); availability {len(zero_items)}/{len(reform)}; '
        f'usage this month {len(usage_zero)}/{len(usage_cases)}')
    if not late or not usage_cases:
        raise Failure('the demo history gives nothing to compare (no overdue case, or no case '
                      'of a zero-trip "6+1" item this month)')
    for case_no in own:
        if case_no not in late:
            raise Failure(f'the test\'s own case {case_no} should be overdue')
    return figures


# ---------------------------------------------------------------------------------------------
# In the app

KEYBOARD = owe2e.Keyboard(settle=0.3)


def key_combo(combo):
    """Real key events to the focused window: GTK's shortcuts see them as typed."""
    KEYBOARD.press(combo)


def labels(pyatspi, root):
    found = []
    for n in walk(root):
        try:
            if n.getRole() == pyatspi.ROLE_LABEL and n.name:
                found.append(n.name)
        except Exception:
            pass
    return found


def on_screen(pyatspi, node):
    """GTK 4.8 sets no SHOWING below the frame: a widget is on screen when it has extents."""
    try:
        e = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return e.width > 0 and e.height > 0
    except Exception:
        return False


def log_in(pyatspi, window):
    username = wait_for('the text field "User name"',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT, name='User name',
                                     need_showing=False))
    password = find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT, name='Password',
                    need_showing=False)
    set_text(username, 'supervisor')
    set_text(password, 'demo')
    click(pyatspi, window, '^_?Log In')
    log('logged in as the supervisor')


def overdue_button(pyatspi, window):
    def found():
        b = find(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON, name_re=r'^Overdue: \d+$',
                 need_showing=False)
        return b if b is not None and on_screen(pyatspi, b) else None
    return wait_for('the Deadlines section (the button "Overdue: N")', found, timeout=20)


def section_table(pyatspi, button):
    """The table "Cases" of the section that holds BUTTON (each section has a list of its own):
    the first ancestor of BUTTON that holds one."""
    node = button
    while node is not None:
        table = find(pyatspi, node, role=pyatspi.ROLE_TREE_TABLE, name='Cases',
                     need_showing=False)
        if table is not None:
            return table
        node = node.parent
    return None


def listed_days(pyatspi, table):
    """Case number → the text of its Working Days cell, for every row of TABLE."""
    rows = {}
    for row in walk(table):
        try:
            if row.getRole() != pyatspi.ROLE_TABLE_ROW:
                continue
            texts = [labels(pyatspi, row.getChildAtIndex(i)) for i in range(row.childCount)]
        except Exception:
            continue
        cells = [t[0] if t else '' for t in texts]
        if len(cells) >= 7 and re.match(r'^\d{22}[0-9A-Z]$', cells[0]):
            rows[cells[0]] = cells[6]
    return rows


def export_section(pyatspi, app, folder, what):
    before = set(os.listdir(folder))
    key_combo('ctrl+e')
    # GTK 4.8 gives the chooser (a window of the app's own without a portal) no dialog role:
    # it is the app's top-level by that title.
    dialog = wait_for('the file chooser "Export What Is Shown"',
                      lambda: next((w for w in (app.getChildAtIndex(i)
                                                for i in range(app.childCount))
                                    if w is not None and w.name == 'Export What Is Shown'),
                                   None), timeout=15)
    name = wait_for('the file name in the chooser',
                    lambda: find(pyatspi, dialog, role=pyatspi.ROLE_TEXT, name_re='^Name',
                                 need_showing=False))
    suggested = text_of(name)
    log(f'the chooser suggests {suggested!r}')
    if not suggested.endswith('.xlsx'):
        raise Failure(f'the chooser suggests {suggested!r}, not a workbook')
    click(pyatspi, dialog, r'^_?Save\b')

    def saved():
        new = [f for f in set(os.listdir(folder)) - before if f.endswith('.xlsx')]
        if not new:
            return None
        path = os.path.join(folder, new[0])
        # Written whole in a worker thread; a workbook is a ZIP, complete once it has its end.
        with open(path, 'rb') as f:
            data = f.read()
        return path if b'PK\x05\x06' in data[-512:] else None
    path = wait_for(f'the workbook of {what} in {folder}', saved, timeout=20, interval=0.2)
    log('exported', path)
    return path


def read_workbook(path):
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = {}
    for sheet in book.worksheets:
        sheets[sheet.title] = [list(r) for r in sheet.iter_rows(values_only=True)]
    return sheets


def check_deadlines_workbook(sheets, statistics):
    deadlines = statistics['deadlines']
    summary = sheets.get('时限概况')
    if not summary or summary[0][:2] != ['项目', '办件数']:
        raise Failure(f'the workbook has no sheet 时限概况 with its headers: {list(sheets)}')
    values = {row[0]: row[1] for row in summary[1:]}
    if values.get('超期') != deadlines['overdue']:
        raise Failure(f'the workbook says {values.get("超期")!r} overdue, the platform '
                      f'{deadlines["overdue"]}')
    due = f'{deadlines["due_within"]}个工作日内到期'
    if values.get(due) != deadlines['due_soon']:
        raise Failure(f'the workbook says {values.get(due)!r} due soon, the platform '
                      f'{deadlines["due_soon"]}')
    when = summary[1][2]
    if not isinstance(when, datetime.datetime) or when.date().isoformat() != statistics['today']:
        raise Failure(f'the day of the figures is {when!r}, not a date cell of '
                      f'{statistics["today"]}')
    by_days = sheets.get('超期工作日分布')
    got = {row[0]: row[1] for row in (by_days or [])[1:]}
    want = {g['working_days']: g['count'] for g in deadlines['overdue_by_working_days']}
    if got != want:
        raise Failure(f'the workbook counts the overdue cases by working days as {got}, the '
                      f'platform as {want}')
    if any(not isinstance(v, int) for v in got) or not got:
        raise Failure(f'the working days late are not number cells: {got}')
    log(f'the workbook has the platform\'s figures: {deadlines["overdue"]} overdue, '
        f'{deadlines["due_soon"]} due soon, by working days {want}')


def indicator_figures(pyatspi, window, title):
    """The value and the "X of Y" of the indicator card titled TITLE."""
    def read():
        # A group (GTK 4.8 says panel) named by its title, value and detail.
        for group in find_all(pyatspi, window, role=pyatspi.ROLE_PANEL,
                              name_re='^' + re.escape(title) + ': ', need_showing=False):
            texts = labels(pyatspi, group)
            if title in texts and on_screen(pyatspi, group):
                value = next((t for t in texts if re.match(r'^\d+(\.\d+)?%$', t)), None)
                detail = next((t for t in texts if re.match(r'^\d+ of \d+ ', t)), None)
                if value and detail:
                    return value, detail
        return None
    return wait_for(f'the indicator "{title}"', read, timeout=20)


def check_share(what, value, detail, part, whole):
    m = re.match(r'^(\d+) of (\d+) ', detail)
    if (int(m.group(1)), int(m.group(2))) != (part, whole):
        raise Failure(f'{what}: the overview says "{detail}", the test counts {part} of {whole}')
    want = f'{100.0 * part / whole:.1f}%'
    if value != want:
        raise Failure(f'{what}: the overview shows {value}, the test computes {want}')
    log(f'{what}: {value} ({detail})')


def run(args, app, platform, spool, tmp):
    folder = os.path.join(tmp, 'home', 'Documents')
    pyatspi = atspi()
    clerk = Api(platform, 'clerk')
    own = make_own_cases(clerk, clerk.get('api/v1/catalog'))
    supervisor = Api(platform, 'supervisor')
    expected = expected_figures(supervisor, own)
    statistics = supervisor.get('api/v1/statistics')

    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    log_in(pyatspi, window)
    wait_for('the overview\'s figures',
             lambda: find(pyatspi, window, role=pyatspi.ROLE_STATUS_BAR,
                          name_re=r'^Figures of .* counted for 2026-12-10$', need_showing=False),
             timeout=25)

    # Deadlines, by the keyboard.
    key_combo('alt+2')
    button = overdue_button(pyatspi, window)
    shown = int(button.name.split(': ')[1])
    if shown != len(expected['late']):
        raise Failure(f'the overview shows {shown} overdue; the test counts '
                      f'{len(expected["late"])}: {expected["late"]}')
    if shown != statistics['deadlines']['overdue']:
        raise Failure(f'the overview shows {shown} overdue, the statistics '
                      f'{statistics["deadlines"]["overdue"]}')
    table = wait_for('the list of the Deadlines section', lambda: section_table(pyatspi, button))
    rows = wait_for('the overdue cases in the list',
                    lambda: (lambda r: r if len(r) >= min(5, shown) else None)(
                        listed_days(pyatspi, table)), timeout=20)
    for case_no, text in rows.items():
        if case_no not in expected['late']:
            raise Failure(f'the list of overdue cases has {case_no} ({text}), which is not late')
        n = expected['late'][case_no]
        want = f'{n} late'                   # in the column "Working Days"
        if text != want:
            raise Failure(f'{case_no} shows "{text}", the test computes "{want}"')
    mine = [c for c in own if c in rows]
    log(f'{len(rows)} overdue case(s) listed with the right working days late, '
        f'{len(mine)} of them the test\'s own')

    check_deadlines_workbook(read_workbook(export_section(pyatspi, app, folder, 'Deadlines')),
                             statistics)

    # The reform's indicators: this month, the period the overview opens with.
    key_combo('alt+4')
    value, detail = indicator_figures(pyatspi, window, 'Items doable with zero trips')
    check_share('availability (零跑动事项可办率)', value, detail, expected['zero_trip_items'],
                expected['reform_items'])
    value, detail = indicator_figures(pyatspi, window, 'Cases of those items done with zero trips')
    check_share('usage (可办事项使用率)', value, detail, expected['zero_trip_cases'],
                expected['cases'])


def app_env(tmp):
    """A home of the test's own, whose documents folder the file chooser opens in (no export
    folder has been chosen yet)."""
    home = os.path.join(tmp, 'home')
    os.makedirs(os.path.join(home, '.config'))
    os.makedirs(os.path.join(home, 'Documents'))
    with open(os.path.join(home, '.config', 'user-dirs.dirs'), 'w') as f:
        f.write('XDG_DOCUMENTS_DIR="$HOME/Documents"\n')
    return {'HOME': home, 'XDG_CONFIG_HOME': os.path.join(home, '.config'),
            'XDG_DATA_HOME': os.path.join(home, '.local', 'share'),
            'XDG_CACHE_HOME': os.path.join(home, '.cache')}


if __name__ == '__main__':
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        print('SKIP: missing python3-openpyxl (tools/install-deps)')
        sys.exit(77)
    # The back office waits an hour: nothing moves while the test compares.
    sys.exit(main(run, "The supervisor's overview, end to end",
                  platform_args=['--demo-history', '--demo-delay', '3600', '--now', NOW],
                  app_env=app_env))
