#!/usr/bin/env python3
# test-pickup.py — the end-to-end test of issue 12: the pick-up window (统一出件), the real app
# driven through AT-SPI against the real platform, whose demo back office makes results ready,
# and a real IPP printer.
#
# Run (meson does) under a fresh X server and session bus:
#   xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- /usr/bin/python3 \
#     tests/e2e/test-pickup.py --app BUILD/src/gui/onewindow \
#     --platform BUILD/src/platform/onewindow-platform --data-dir data --sane-config-dir tests/sane
#
# 1. The intake counter: test-clerk.py's own walk (log in as clerk, find an item, mark the
#    materials, enter 张三, accept) makes case A; three more cases are put over HTTP as a clerk's
#    counter would (B for 李四, C to be mailed to 赵六, D for 王五). The platform runs with
#    --demo --demo-delay, so its back office approves them and makes them ready for pick-up.
# 2. The pick-up window, a second app with a store of its own, logged in as pickup: its mirror
#    lists the hall's ready cases; A's receipt QR code comes as a key burst into the window
#    (xdotool, as a USB scanner types); 李四's ID number is refused ("not the applicant") and
#    nothing is recorded; 张三's is taken: the platform has handed-over with the collector, the
#    printer's spool a pick-up slip (出件签收单) with the case number and the signature line. The
#    applicant rates 5 (非常不满意) on the rating window.
# 3. B by the keyboard alone (xdotool keys, as a clerk works): Ctrl+F, its number typed, Enter;
#    李四's ID typed, Ctrl+Return; Enter asks for the rating, Alt+4 and Ctrl+Return give 4
#    (不满意); Escape then clears for the next applicant. Both poor ratings are stored on the
#    platform, each with a follow-up ticket naming it (rating_id).
# 4. C, to mail: an EMS waybill with a wrong check digit is refused with the reason; a right one
#    is stored (mailed, carrier and waybill on the platform).
# 5. D with the platform stopped: handed over from the local mirror; the platform is started
#    again on the same port and database, and the hand-over arrives exactly once.
# Everything started is stopped by PID, also on failure; the run is capped (--timeout).
# Helpers (processes, printer, display, AT-SPI walking) come from owe2e.py, the intake walk
# from test-clerk.py.
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import datetime
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('e2e_clerk', os.path.join(HERE, 'test-clerk.py'))
clerk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clerk)
import owe2e  # noqa: E402  (beside this file, as test-clerk.py finds it)

Failure, OverallTimeout, AppExited = owe2e.Failure, owe2e.OverallTimeout, owe2e.AppExited
log, wait_for, find, find_all, walk = owe2e.log, owe2e.wait_for, owe2e.find, owe2e.find_all, owe2e.walk
set_text, press, text_of, label_texts = owe2e.set_text, owe2e.press, owe2e.text_of, owe2e.label_texts

OVERALL_TIMEOUT = 240          # seconds: two apps, and results made ready by the back office
DEMO_DELAY = 5                 # seconds an accepted (then approved) case waits for the back office
HALL = owe2e.HALL
COUNTER = 9                    # the counter the HTTP cases come from (the clerk app is counter 1)
QUERY_CODE = 'K7Q2MX'

# Accessible names in the C locale.
NAME_PICKUP_LIST = 'Waiting for pick-up, by applicant'
NAME_FIND = r'^_?Find$'                       # the find entry, by its mnemonic label
NAME_FIND_BUTTON = r'^Find _?Case'
NAME_APPLICANT_ID = r"^Applicant's ID number"
NAME_HAND_OVER = r'^_?Hand Over and Print Slip'
NAME_ASK_RATING = r'^Ask for a _?Rating'
NAME_NEXT = r'^_?Next Applicant'
NAME_RATING_WINDOW = 'Rate Our Service'
NAME_SUBMIT_RATING = r'^Submit Rating'
NAME_WAYBILL = r'^Waybill number'
NAME_RECORD_MAILING = r'^Record _?Mailing'
RATING_LABELS = {1: 'Very satisfied', 2: 'Satisfied', 3: 'Basically satisfied',
                 4: 'Dissatisfied', 5: 'Very dissatisfied'}


def gb11643(first17):
    """The ID number with its GB 11643 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + '10X98765432'[total % 11]


ZHANG = ('张三', clerk.APPLICANT[1])
LI = ('李四', gb11643('46010619850312001'))
ZHAO = ('赵六', gb11643('46010619700815002'))
WANG = ('王五', gb11643('46010619620101003'))


# ---------------------------------------------------------------------------------------------
# The platform, on a port of its own so that it can be started again where the app looks for it

def start_platform(procs, args, tmp, port, name='platform'):
    log_path = os.path.join(tmp, name + '.log')
    out = open(log_path, 'w+')
    p = procs.start(name, [args.platform, '--demo', '--demo-delay', str(DEMO_DELAY),
                           '--db', os.path.join(tmp, 'platform.db'),
                           '--data-dir', args.data_dir, '--listen', f'127.0.0.1:{port}'],
                    stdout=out, stderr=subprocess.STDOUT)

    def listening():
        if p.poll() is not None:
            raise Failure(f'{name} exited with status {p.returncode}')
        with open(log_path) as f:
            m = re.search(r'^listening on (http\S+)', f.read(), re.M)
        return m and m.group(1)
    try:
        uri = wait_for(f'{name} to print "listening on"', listening, timeout=15)
    except Failure:
        with open(log_path) as f:
            log(f'{name} log:\n' + f.read())
        raise
    log(name + ':', uri)
    return p, uri.rstrip('/') + '/'


def stop_process(p, what):
    if p.poll() is None:
        os.kill(p.pid, signal.SIGTERM)
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
    log('stopped', what)


class Http:
    """The platform's API, as the test checks it from outside the app."""

    def __init__(self, base):
        self.base = base
        self.tokens = {}

    def token(self, user):
        if user not in self.tokens:
            body = json.dumps({'username': user, 'password': 'demo'}).encode()
            req = urllib.request.Request(self.base + 'api/v1/sessions', data=body,
                                         method='POST',
                                         headers={'Content-Type': 'application/json'})
            with urllib.request.urlopen(req, timeout=5) as r:
                self.tokens[user] = json.load(r)['token']
        return self.tokens[user]

    def call(self, user, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {'Authorization': 'Bearer ' + self.token(user)}
        if data is not None:
            headers['Content-Type'] = 'application/json'
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b'null')

    def get(self, user, path):
        status, body = self.call(user, 'GET', path)
        if status != 200:
            raise Failure(f'GET {path} as {user}: {status} {body}')
        return body

    def events(self, case_no, kind=None):
        events = self.get('supervisor', f'api/v1/cases/{case_no}/events').get('events', [])
        return [e for e in events if kind is None or e.get('kind') == kind]


def put_case(http, sequence, applicant, mail=False):
    """A case accepted at counter COUNTER, as that counter's outbox would put it."""
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    body = '%s%02d%s%04d' % (HALL, COUNTER, today.strftime('%Y%m%d'), sequence)
    case_no = body + clerk_check_char(body)
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    delivery = {'kind': 'pickup', 'recipient': None, 'phone': None, 'address': None}
    if mail:
        delivery = {'kind': 'post', 'recipient': applicant[0], 'phone': '13900139000',
                    'address': '海南省海口市龙华区滨海大道 1 号'}
    case = {
        'case_no': case_no, 'query_code': QUERY_CODE, 'state': 'accepted',
        'hall': HALL, 'counter': COUNTER, 'clerk': 'clerk', 'received_at': now,
        'promised_date': (today + datetime.timedelta(days=20)).isoformat(),
        'document_no': f'海口政服受〔{today.year}〕{sequence}号',
        'applicant': {'kind': 'person', 'name': applicant[0], 'id_number': applicant[1],
                      'phone': '13900139000', 'address': '海口市龙华区', 'contact_name': None},
        'agent': None,
        'items': [{'item_id': '11460100MB1234567X400011', 'basic_code': '000117001',
                   'name': '食品经营许可（新办）', 'department': '海口市市场监督管理局'}],
        'materials': [{'material_id': 'm1', 'name': '食品经营许可申请书', 'status': 'paper',
                       'originals': 1, 'copies': 0, 'licence_no': None, 'due_date': None,
                       'note': None, 'files': []}],
        'delivery': delivery,
        'refusal': None,
    }
    status, answer = http.call('clerk', 'PUT', f'api/v1/cases/{case_no}', case)
    if status != 201:
        raise Failure(f'PUT case {case_no}: {status} {answer}')
    return case_no


def clerk_check_char(first22):
    alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    p = 36
    for c in first22:
        p = (p + alphabet.index(c)) % 36
        if p == 0:
            p = 36
        p = (p * 2) % 37
    return alphabet[(37 - p) % 36]


def formatted(case_no):
    return '-'.join((case_no[:8], case_no[8:10], case_no[10:18], case_no[18:22], case_no[22]))


def wait_ready(http, case_nos):
    def ready():
        return all(http.get('supervisor', f'api/v1/cases/{n}').get('state') == 'result-ready'
                   for n in case_nos)
    wait_for('the demo back office to make the cases ready', ready,
             timeout=4 * DEMO_DELAY + 15, interval=0.5)
    log('ready for pick-up:', ', '.join(case_nos))


# ---------------------------------------------------------------------------------------------
# The apps

def start_app(procs, args, tmp, platform, printer, store, name):
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('GTK_A11Y', None)
    env['GDK_BACKEND'] = 'x11'
    env['LC_ALL'] = 'C.UTF-8'
    env.pop('LANGUAGE', None)
    env['SANE_CONFIG_DIR'] = args.sane_config_dir
    out = open(os.path.join(tmp, name + '.log'), 'a')
    return procs.start(name, [args.app, '--platform', platform, '--printer', printer,
                              '--scanner', 'test:0', '--store', os.path.join(tmp, store)],
                       env=env, stdout=out, stderr=subprocess.STDOUT)


def log_in(pyatspi, app, user):
    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    username = wait_for('the user name field',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT,
                                     name=clerk.NAME_USERNAME, need_showing=False))
    password = wait_for('the password field',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT,
                                     name=clerk.NAME_PASSWORD, need_showing=False))
    set_text(username, user)
    set_text(password, 'demo')
    owe2e.click(pyatspi, window, clerk.NAME_LOGIN)
    log('logged in as', user)
    return window


def xdotool(*args):
    r = subprocess.run(['xdotool'] + list(args), capture_output=True, text=True, timeout=20)
    if r.returncode != 0:
        raise Failure(f'xdotool {" ".join(args[:3])}: {r.stderr.strip()}')
    return r.stdout


def keyboard(pid, keys):
    """Presses KEYS (xdotool key names) in the focused window; with PID, that app's window is
    focused first."""
    if pid is not None:
        windows = xdotool('search', '--onlyvisible', '--pid', str(pid)).split()
        xdotool('windowfocus', '--sync', windows[0])
    xdotool('key', '--delay', '80', *keys)


def typing(text):
    """Types TEXT at a person's pace (not a scanner's burst). (xdotool types a newline as
    Linefeed, not Return: Enter is a key of its own.)"""
    xdotool('type', '--delay', '90', text)


def key_burst(pid, text):
    """Types TEXT and Enter into the app's window as a USB barcode scanner does: a few
    milliseconds a key, from an X client of its own."""
    windows = wait_for('the app\'s X window',
                       lambda: xdotool('search', '--onlyvisible', '--pid', str(pid)).split(),
                       timeout=5)
    xdotool('windowfocus', '--sync', windows[0])
    keys = ['colon' if c == ':' else c for c in text]
    xdotool('key', '--delay', '4', *keys, 'Return')


# GTK 4.8 marks no widget below a window as showing, and keeps every page of a stack in the
# tree: controls are found by names only the pick-up page has, and messages by their labels'
# visibility (an error label is hidden until it says something).

def button(pyatspi, root, name_re):
    b = wait_for(f'the button {name_re!r}',
                 lambda: find(pyatspi, root, role=pyatspi.ROLE_PUSH_BUTTON, name_re=name_re,
                              need_showing=False))
    wait_for(f'the button {name_re!r} to be enabled',
             lambda: b.getState().contains(pyatspi.STATE_SENSITIVE), timeout=5)
    return b


def entry(pyatspi, root, name_re):
    """The text of an AdwEntryRow (named by its label, then its title) or of an entry."""
    return wait_for(f'the text field {name_re!r}',
                    lambda: find(pyatspi, root, role=pyatspi.ROLE_TEXT, name_re=name_re,
                                 need_showing=False)
                    or find(pyatspi, root, role=pyatspi.ROLE_ENTRY, name_re=name_re,
                            need_showing=False))


def says(pyatspi, root, pattern):
    """A predicate: the text of a visible label of ROOT that matches PATTERN."""
    def found():
        for n in walk(root):
            try:
                if n.getRole() == pyatspi.ROLE_LABEL and re.search(pattern, n.name or '') \
                        and n.getState().contains(pyatspi.STATE_VISIBLE):
                    return n.name
            except Exception:
                continue
        return None
    return found


def rating_window(pyatspi, app):
    """The applicant's window the hand-over opens (GTK 4.8 may give an AdwWindow any of these
    roles), once it is there."""
    def found():
        for i in range(app.childCount):
            w = app.getChildAtIndex(i)
            if w is not None and w.name == NAME_RATING_WINDOW:
                return w
        return None
    return wait_for('the rating window', found, timeout=15)


def wait_closed(pyatspi, app, what, name):
    def gone():
        return all(app.getChildAtIndex(i) is None or app.getChildAtIndex(i).name != name
                   for i in range(app.childCount))
    wait_for(what, gone, timeout=10)


def ask_for_rating(pyatspi, window):
    """The counter has one screen: the clerk turns it to the applicant and asks."""
    press(button(pyatspi, window, NAME_ASK_RATING))


def rate(pyatspi, app, window, level):
    """Asks for a rating; the applicant gives LEVEL; the window thanks and closes by itself."""
    ask_for_rating(pyatspi, window)
    window = rating_window(pyatspi, app)
    choice = wait_for(f'the rating "{RATING_LABELS[level]}"',
                      lambda: find(pyatspi, window, role=pyatspi.ROLE_TOGGLE_BUTTON,
                                   name=RATING_LABELS[level], need_showing=False)
                      # GTK 4.8 presents a GtkToggleButton as a push button
                      or find(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON,
                              name=RATING_LABELS[level], need_showing=False))
    press(choice)
    press(button(pyatspi, window, NAME_SUBMIT_RATING))
    wait_closed(pyatspi, app, 'the rating window to thank and close', NAME_RATING_WINDOW)
    log(f'rated {level} ({RATING_LABELS[level]})')


def decline_rating(pyatspi, app, window):
    ask_for_rating(pyatspi, window)
    window = rating_window(pyatspi, app)
    press(button(pyatspi, window, r'^No, Thank You'))
    wait_closed(pyatspi, app, 'the rating window to close', NAME_RATING_WINDOW)


def hand_over(pyatspi, window, id_number):
    set_text(entry(pyatspi, window, NAME_APPLICANT_ID), id_number)
    press(button(pyatspi, window, NAME_HAND_OVER))


def find_typed(pyatspi, window, text):
    set_text(entry(pyatspi, window, NAME_FIND), text)
    press(button(pyatspi, window, NAME_FIND_BUTTON))


def next_applicant(pyatspi, window):
    press(button(pyatspi, window, NAME_NEXT))


def check_spool(spool, case_no, seen):
    """A new PDF in the spool with 出件签收单, the case number and the signature line."""
    want = ('出件签收单', formatted(case_no), '领取人签名')

    def slip():
        for name in sorted(os.listdir(spool)):
            path = os.path.join(spool, name)
            if name in seen or not os.path.isfile(path):
                continue
            with open(path, 'rb') as f:
                if f.read(5) != b'%PDF-':
                    continue
            r = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True,
                               timeout=10)
            text = r.stdout.decode('utf-8', 'replace')
            if r.returncode == 0 and all(w in text for w in want):
                seen.add(name)
                return name
        return None
    name = wait_for(f'a pick-up slip of {case_no} in the spool', slip, timeout=20, interval=0.3)
    log('the pick-up slip is in the spool:', name)


def check_handed_over(http, case_no, applicant):
    events = wait_for(f'handed-over of {case_no} on the platform',
                      lambda: http.events(case_no, 'handed-over'), timeout=20, interval=0.3)
    if len(events) != 1:
        raise Failure(f'{case_no} has {len(events)} handed-over events')
    collector = events[0].get('collector') or {}
    got = (collector.get('kind'), collector.get('name'), collector.get('id_number'))
    if got != ('applicant', applicant[0], applicant[1]):
        raise Failure(f'the collector of {case_no} on the platform is {got}')
    if not events[0].get('results'):
        raise Failure(f'the hand-over of {case_no} names no result: {events[0]}')
    log(f'{case_no} handed over on the platform to {collector.get("name")}')
    return events[0]


def check_ratings(http, expected):
    """EXPECTED: {case_no: level}; each a stored on-site rating followed up by a ticket."""
    def followed_up():
        tickets = http.get('supervisor', 'api/v1/tickets').get('tickets', [])
        found = {}
        for t in tickets:
            if not t.get('rating_id'):
                continue
            status, rating = http.call('supervisor', 'GET', f'api/v1/ratings/{t["rating_id"]}')
            if status == 200:
                found[rating.get('case_no')] = (rating.get('level'), rating.get('channel'))
        return found if all(n in found for n in expected) else None
    found = wait_for('the poor ratings and their follow-up tickets on the platform',
                     followed_up, timeout=20, interval=0.5)
    for case_no, level in expected.items():
        if found[case_no] != (level, 'on-site'):
            raise Failure(f'the rating of {case_no} on the platform is {found[case_no]}, '
                          f'not ({level}, on-site)')
    log('ratings stored with follow-up tickets:', found)


def run_pickup(args, pyatspi, app, app_pid, procs, tmp, port, platform_proc, http, spool,
               cases):
    a, b, c, d = cases
    window = log_in(pyatspi, app, 'pickup')
    pickup_list = wait_for(f'the list "{NAME_PICKUP_LIST}"',
                           lambda: find(pyatspi, window, role=pyatspi.ROLE_LIST,
                                        name=NAME_PICKUP_LIST, need_showing=False))
    if args.dump:
        time.sleep(3)
        print(owe2e.dump(app))
    # The mirror: every ready case of the hall is listed, whoever took it in.
    wait_for('the ready cases in the pick-up list',
             lambda: all(any(name == t for t in label_texts(pyatspi, pickup_list))
                         for name in (ZHANG[0], LI[0], WANG[0])), timeout=20)
    log('the mirror lists', ZHANG[0], LI[0], WANG[0])
    seen = set()

    # A: the receipt's QR code, a key burst into the window; the wrong ID, then the right one.
    key_burst(app_pid, f'OW1:{a}:{cases_query_code(http, a)}')
    log('scanned the receipt of', a)
    if args.dump:
        time.sleep(2)
        print(owe2e.dump(app))
    hand_over(pyatspi, window, LI[1])
    reason = wait_for('the refusal of the wrong ID', says(pyatspi, window, 'not the applicant'),
                      timeout=5)
    log('refused:', reason)
    time.sleep(1)
    if http.events(a, 'handed-over'):
        raise Failure(f'{a} was handed over with the wrong ID')
    hand_over(pyatspi, window, ZHANG[1])
    rate(pyatspi, app, window, 5)
    check_handed_over(http, a, ZHANG)
    check_spool(spool, a, seen)
    if args.dump:
        print(owe2e.dump(app))

    next_applicant(pyatspi, window)

    # B: the keyboard alone, as a clerk at the window works: Ctrl+F and the number typed, Enter;
    # the ID (the focus is on it), Ctrl+Return; Enter on "Ask for a Rating" (focused); on the
    # rating window Alt+4, Ctrl+Return.
    keyboard(app_pid, ['ctrl+f'])
    typing(formatted(b))
    keyboard(None, ['Return'])
    wait_for('the hand-over of B', says(pyatspi, window, re.escape(formatted(b))), timeout=10)
    time.sleep(0.5)
    typing(LI[1])
    keyboard(None, ['ctrl+Return'])
    wait_for('the done page', lambda: http.events(b, 'handed-over')
             or says(pyatspi, window, r'result handed over')(), timeout=10)
    time.sleep(0.5)
    keyboard(None, ['Return'])
    rating_window(pyatspi, app)
    time.sleep(0.5)
    keyboard(None, ['alt+4', 'ctrl+Return'])
    wait_closed(pyatspi, app, 'the rating window to thank and close', NAME_RATING_WINDOW)
    log('B handed over and rated 4 with the keyboard alone')
    check_handed_over(http, b, LI)
    check_spool(spool, b, seen)
    check_ratings(http, {a: 5, b: 4})
    # The rating window gone, the keys are the counter window's again: Escape is the next
    # applicant, and the find field is empty for them.
    keyboard(app_pid, ['Escape'])
    find_field = entry(pyatspi, window, NAME_FIND)
    wait_for('Escape to clear the find field for the next applicant',
             lambda: text_of(find_field) == '', timeout=5)

    # C: by post. A wrong check digit is refused with the reason, a right one stored.
    find_typed(pyatspi, window, c)
    waybill = entry(pyatspi, window, NAME_WAYBILL)
    set_text(waybill, 'EA123456784CN')
    press(button(pyatspi, window, NAME_RECORD_MAILING))
    reason = wait_for('the refusal of the waybill', says(pyatspi, window, 'check digit'),
                      timeout=5)
    log('refused:', reason)
    time.sleep(1)
    if http.events(c, 'mailed'):
        raise Failure(f'{c} was recorded as mailed with a wrong waybill')
    set_text(waybill, 'EA123456785CN')
    press(button(pyatspi, window, NAME_RECORD_MAILING))
    mailed = wait_for(f'mailed of {c} on the platform', lambda: http.events(c, 'mailed'),
                      timeout=20, interval=0.3)
    if (mailed[0].get('waybill'), mailed[0].get('carrier')) != ('EA123456785CN', 'ems'):
        raise Failure(f'the mailing of {c} on the platform is {mailed[0]}')
    state = http.get('supervisor', f'api/v1/cases/{c}').get('state')
    if state != 'mailed':
        raise Failure(f'{c} is {state} on the platform, not mailed')
    log(f'{c} mailed with EMS EA123456785CN')

    # D: with the platform stopped, from the local mirror; it arrives once when it is back.
    stop_process(platform_proc, 'the platform')
    find_typed(pyatspi, window, d)
    hand_over(pyatspi, window, WANG[1])
    decline_rating(pyatspi, app, window)
    check_spool(spool, d, seen)
    log(f'{d} handed over with the platform stopped')
    start_platform(procs, args, tmp, port, name='platform-again')
    check_handed_over(http, d, WANG)
    time.sleep(3)         # the outbox would have sent a second copy by now
    if len(http.events(d, 'handed-over')) != 1:
        raise Failure(f'{d} arrived more than once')
    log(f'{d} arrived once after the restart')


def tell_what_shows(pyatspi, app):
    """For a failure's message: the app's windows and the visible labels of each."""
    try:
        for i in range(app.childCount):
            w = app.getChildAtIndex(i)
            if w is None:
                continue
            labels = []
            for n in walk(w):
                try:
                    if n.getRole() == pyatspi.ROLE_LABEL and n.name \
                            and n.getState().contains(pyatspi.STATE_VISIBLE):
                        labels.append(n.name)
                except Exception:
                    continue
            log(f'window {w.getRoleName()} {w.name!r} shows: {labels[-60:]}')
            if i > 0:
                print(owe2e.dump(w))
    except Exception as e:
        log('could not tell what the app shows:', repr(e))


def case_of(http, applicant):
    for c in http.get('supervisor', f'api/v1/cases?hall={HALL}').get('cases', []):
        if (c.get('applicant') or {}).get('id_number') == applicant[1]:
            return c['case_no']
    raise Failure(f'no case of {applicant[0]} on the platform')


def cases_query_code(http, case_no):
    return http.get('supervisor', f'api/v1/cases/{case_no}').get('query_code') or QUERY_CODE


def main():
    global OVERALL_TIMEOUT
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', default=os.environ.get('OW_APP'))
    parser.add_argument('--platform', default=os.environ.get('OW_PLATFORM'))
    parser.add_argument('--data-dir', default=os.environ.get('OW_DATA_DIR'))
    parser.add_argument('--sane-config-dir', default=os.environ.get('SANE_CONFIG_DIR'))
    parser.add_argument('--ippeveprinter', default=os.environ.get('OW_IPPEVEPRINTER',
                                                                  '/usr/sbin/ippeveprinter'))
    # The Chinese name: the pick-up flow does not hang on pinyin search.
    parser.add_argument('--search', default='营业执照')
    parser.add_argument('--timeout', type=int, default=OVERALL_TIMEOUT)
    parser.add_argument('--dump', action='store_true',
                        help='print the pick-up window\'s accessible tree along the way')
    parser.add_argument('--keep', action='store_true', help='keep the temporary folder')
    args = parser.parse_args()
    OVERALL_TIMEOUT = owe2e.OVERALL_TIMEOUT = args.timeout
    for what in ('app', 'platform', 'data_dir', 'sane_config_dir'):
        if not getattr(args, what):
            parser.error(f'--{what.replace("_", "-")} is needed')

    missing = [t for t in ('ipptool', 'pdftotext', 'dbus-daemon', 'xdotool')
               if shutil.which(t) is None]
    if not os.access(args.ippeveprinter, os.X_OK):
        missing.append(args.ippeveprinter)
    try:
        owe2e.atspi()
    except (ImportError, ValueError) as e:
        missing.append(f'pyatspi ({e})')
    for path in (args.app, args.platform):
        if not os.access(path, os.X_OK):
            missing.append(path)
    if missing:
        print('SKIP: missing', ', '.join(missing))
        return 77

    def on_alarm(signum, frame):
        raise OverallTimeout(f'the test ran longer than {OVERALL_TIMEOUT} s')
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(OVERALL_TIMEOUT)

    tmp = tempfile.mkdtemp(prefix='ow-e2e-pickup-')
    procs = owe2e.Processes()
    ok = False
    retry_own_x = False
    logs = ('clerk-app.log', 'pickup-app.log', 'platform.log', 'platform-again.log',
            'printer.log')
    try:
        if not owe2e.hold_display(procs):
            if os.environ.get('OW_E2E_OWN_XVFB'):
                raise Failure('not even our own Xvfb takes connections')
            retry_own_x = True
            raise Failure(f'the display {os.environ.get("DISPLAY")} takes no connections')
        port = owe2e.free_port()
        platform_proc, platform = start_platform(procs, args, tmp, port)
        http = Http(platform)
        printer, spool = owe2e.start_printer(procs, tmp, args.ippeveprinter)
        pyatspi = owe2e.atspi()

        # 1. The intake counter takes case A; B, C and D come over HTTP.
        clerk_proc = start_app(procs, args, tmp, platform, printer, 'clerk.db', 'clerk-app')
        clerk_app = owe2e.app_on_bus(pyatspi, clerk_proc)
        clerk_args = argparse.Namespace(dump=False, search=args.search)
        clerk.run(clerk_args, clerk_app, platform, spool, tmp)
        a = case_of(http, ZHANG)
        b = put_case(http, 1, LI)
        c = put_case(http, 2, ZHAO, mail=True)
        d = put_case(http, 3, WANG)
        stop_process(clerk_proc, 'the intake counter')
        wait_ready(http, (a, b, c, d))

        # 2.–5. The pick-up window.
        pickup_proc = start_app(procs, args, tmp, platform, printer, 'pickup.db', 'pickup-app')
        pickup_app = owe2e.app_on_bus(pyatspi, pickup_proc)
        log('the pick-up window on the accessibility bus')
        try:
            run_pickup(args, pyatspi, pickup_app, pickup_proc.pid, procs, tmp, port,
                       platform_proc, http, spool, (a, b, c, d))
        except Failure:
            tell_what_shows(pyatspi, pickup_app)
            if args.keep:
                subprocess.run(['sh', '-c', f'xwd -root -silent > {tmp}/screen.xwd'], timeout=20)
            raise
        ok = True
    except AppExited as e:
        log('FAIL:', e)
        text = ''
        for name in ('clerk-app.log', 'pickup-app.log'):
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                with open(path, errors='replace') as f:
                    text += f.read()
        retry_own_x = 'cannot open display' in text and not os.environ.get('OW_E2E_OWN_XVFB')
    except (Failure, OverallTimeout) as e:
        log('FAIL:', e)
    except Exception:
        import traceback
        log('FAIL: an unexpected error')
        traceback.print_exc()
        sys.stdout.flush()
    finally:
        signal.alarm(0)
        procs.stop_all()
        if not ok:
            for name in logs:
                path = os.path.join(tmp, name)
                if os.path.exists(path):
                    with open(path, errors='replace') as f:
                        text = f.read()
                    log(f'--- {name} (last 3000 characters) ---\n' + text[-3000:])
        if args.keep:
            log('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log('PASS' if ok else 'FAIL', f'in {time.monotonic() - owe2e.T0:.1f} s')
    if retry_own_x:
        return owe2e.rerun_on_own_xvfb(__file__)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
