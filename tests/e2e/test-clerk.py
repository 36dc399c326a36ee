#!/usr/bin/env python3
# test-clerk.py — the end-to-end test of issue 4 item 10: the real app, driven through AT-SPI the
# way a clerk works, against the real platform, a real IPP printer and SANE's test backend.
#
# Run (meson does) under a fresh X server and session bus:
#   xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- /usr/bin/python3 \
#     tests/e2e/test-clerk.py --app BUILD/src/gui/onewindow --platform BUILD/src/platform/onewindow-platform
# Starts onewindow-platform --demo, ippeveprinter (with its own private dbus-daemon) and the app;
# logs in as clerk/demo, finds an item by the pinyin initials "yyzz", fills the applicant, marks
# every material "On paper" and accepts; then checks, outside the app, that the case is on the
# platform and that the printer's spool holds a PDF whose text has 受理通知书.
# Everything started is stopped by PID, also on failure. The whole run is capped at 60 s
# (--timeout). When the display xvfb-run handed over takes no connections (xvfb-run -a races
# with other xvfb-runs for display numbers), the script runs itself again once under an Xvfb of
# its own and a fresh dbus-run-session.
# For trying it by hand: --search TEXT (another search than "yyzz"), --dump (print the
# accessible tree after start and stop), --keep (keep the temporary folder).
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

OVERALL_TIMEOUT = 60          # seconds, for the whole script
T0 = time.monotonic()

# What the test finds in the app, by accessible role and name (C locale, so English names).
NAME_USERNAME = 'User name'
NAME_PASSWORD = 'Password'
NAME_LOGIN = 'Log In'
NAME_SEARCH = 'Search service items'
NAME_ITEMS = 'Service items'
NAME_MATERIALS = 'Materials checklist'
NAME_APPLICANT_NAME = 'Name'
NAME_APPLICANT_ID = 'ID number'
NAME_MOBILE = 'Mobile'
NAME_ACCEPT = r'^_?Accept and Print Notice'   # a regular expression
STATUS_PREFIX = 'Status of '          # the status drop-down of one material line
ON_PAPER = 'On paper'
SEARCH_TEXT = 'yyzz'                  # pinyin initials of 营业执照
APPLICANT = ('张三', '11010519491231002X', '13800138000')
HALL = '46010001'


class Failure(Exception):
    pass


class OverallTimeout(BaseException):
    """Raised by SIGALRM; a BaseException, so that no `except Exception` swallows it."""


def log(*args):
    print(f'[{time.monotonic() - T0:5.1f}s]', *args, flush=True)


def remaining():
    return OVERALL_TIMEOUT - (time.monotonic() - T0)


def wait_for(what, predicate, timeout=15.0, interval=0.1):
    """Polls PREDICATE until it returns something true; fails naming WHAT after TIMEOUT seconds
    (never beyond the overall cap)."""
    deadline = time.monotonic() + min(timeout, max(remaining(), 0.5))
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Failure:
            raise
        except Exception as e:            # AT-SPI objects come and go while the UI changes
            last_error = e
        if time.monotonic() >= deadline:
            raise Failure(f'timed out waiting for {what}'
                          + (f' (last error: {last_error!r})' if last_error else ''))
        time.sleep(interval)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Processes:
    """What the test started, stopped by PID in reverse order."""

    def __init__(self):
        self.procs = []       # (name, Popen)
        self.pids = []        # (name, pid) of daemons that fork (dbus-daemon --fork)

    def start(self, name, args, **kw):
        log('starting', name + ':', ' '.join(args))
        p = subprocess.Popen(args, start_new_session=True, **kw)
        self.procs.append((name, p))
        return p

    def stop_all(self):
        # First what was started directly (the app before the printer before the platform), then
        # the forked dbus-daemon, which ippeveprinter needs until it has exited.
        for name, p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        for name, p in reversed(self.procs):
            try:
                p.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log(name, 'did not stop on SIGTERM; killing', p.pid)
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
        for name, pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


# ---------------------------------------------------------------------------------------------
# The components

def start_platform(procs, args, tmp):
    log_path = os.path.join(tmp, 'platform.log')
    out = open(log_path, 'w+')
    procs.start('platform', [args.platform, '--demo', '--db', os.path.join(tmp, 'platform.db'),
                             '--data-dir', args.data_dir, '--listen', '127.0.0.1:0'],
                stdout=out, stderr=subprocess.STDOUT)

    def listening():
        with open(log_path) as f:
            m = re.search(r'^listening on (http\S+)', f.read(), re.M)
        return m and m.group(1)
    try:
        uri = wait_for('the platform to print "listening on"', listening, timeout=15)
    except Failure:
        with open(log_path) as f:
            log('platform log:\n' + f.read())
        raise
    log('platform:', uri)
    return uri.rstrip('/') + '/'


def start_printer(procs, tmp, program):
    spool = os.path.join(tmp, 'spool')
    os.mkdir(spool)
    # ippeveprinter needs a D-Bus bus for DNS-SD even with -r off; a private one will do.
    r = subprocess.run(['dbus-daemon', '--session', '--fork', '--print-address=1',
                        '--print-pid=2'], capture_output=True, text=True, timeout=10)
    if r.returncode != 0:
        raise Failure('dbus-daemon did not start: ' + r.stderr)
    address = r.stdout.strip().splitlines()[0]
    pid = int(r.stderr.strip().splitlines()[-1]) if r.stderr.strip() else None
    if pid is None:
        raise Failure('dbus-daemon did not tell its PID')
    procs.pids.append(('printer dbus-daemon', pid))
    port = free_port()
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
    out = open(os.path.join(tmp, 'printer.log'), 'w')
    procs.start('ippeveprinter', [program, '-p', str(port), '-n', 'localhost',
                                  '-d', spool, '-k', '-c', '/bin/true',
                                  '-f', 'application/pdf,image/pwg-raster', '-r', 'off',
                                  'OneWindowE2E'],
                env=env, stdout=out, stderr=subprocess.STDOUT)
    uri = f'ipp://localhost:{port}/ipp/print'

    def answers():
        return subprocess.run(['ipptool', '-q', '-T', '2', uri, 'get-printer-attributes.test'],
                              capture_output=True, timeout=5).returncode == 0
    wait_for('ippeveprinter to answer', answers, timeout=15, interval=0.2)
    log('printer:', uri)
    return uri, spool


def hold_display(procs):
    """Opens the X display in DISPLAY from a helper process that keeps its connection until the
    end, and tells whether that worked. `xvfb-run -a` can lose a race for the display number with
    another xvfb-run started at the same moment, and then hands over a display that is not its
    own. Holding a connection also keeps the server from resetting (as an X server does when its
    last client leaves) just when the app connects."""
    holder = ("import gi, sys; gi.require_version('Gdk', '4.0'); from gi.repository import Gdk; "
              "d = Gdk.Display.open(sys.argv[1]); print('ok' if d else 'no', flush=True); "
              "d and sys.stdin.read()")
    display = os.environ.get('DISPLAY')
    if not display:
        return False
    p = procs.start('display holder', ['/usr/bin/python3', '-c', holder, display],
                    env=dict(os.environ, GDK_BACKEND='x11'), stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p.stdout.readline().strip() == 'ok'


def rerun_on_own_xvfb():
    """Runs this script again under an X server of its own (-displayfd picks a free number
    atomically) and a fresh session bus whose services see that display."""
    log('the display', os.environ.get('DISPLAY'), 'does not work; starting an Xvfb of our own')
    # With a cookie of its own, so that no other client (another xvfb-run's) can use it.
    tmp = tempfile.mkdtemp(prefix='ow-e2e-x-')
    auth = os.path.join(tmp, 'Xauthority')
    cookie = os.urandom(16).hex()
    subprocess.run(['xauth', '-q', '-f', auth, 'add', ':0', '.', cookie], check=True,
                   timeout=10)
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(['Xvfb', '-displayfd', str(write_end), '-auth', auth, '-noreset',
                             '-screen', '0', '1366x768x24', '-nolisten', 'tcp'],
                            pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(tmp, 'xvfb.log'), 'w'), start_new_session=True)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as f:
            number = f.readline().strip()      # written once the server takes connections
        if not number:
            log('FAIL: Xvfb did not start')
            return 1
        subprocess.run(['xauth', '-q', '-f', auth, 'add', ':' + number, '.', cookie],
                       check=True, timeout=10)
        env = dict(os.environ, DISPLAY=':' + number, XAUTHORITY=auth, OW_E2E_OWN_XVFB='1')
        env.pop('DBUS_SESSION_BUS_ADDRESS', None)
        child = subprocess.Popen(['dbus-run-session', '--', '/usr/bin/python3',
                                  os.path.abspath(__file__)] + sys.argv[1:], env=env)
        try:
            return child.wait(timeout=OVERALL_TIMEOUT + 15)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGTERM)
            child.wait()
            return 1
    finally:
        os.kill(xvfb.pid, signal.SIGTERM)
        xvfb.wait()
        if os.environ.get('OW_E2E_DEBUG_X'):
            print(open(os.path.join(tmp, 'xvfb.log')).read())
        shutil.rmtree(tmp, ignore_errors=True)


def start_app(procs, args, tmp, platform, printer):
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)       # test_env sets it for the in-process tests
    env.pop('GTK_A11Y', None)
    env['GDK_BACKEND'] = 'x11'
    env['LC_ALL'] = 'C.UTF-8'           # the names the test looks for are the English ones
    env.pop('LANGUAGE', None)
    env['SANE_CONFIG_DIR'] = args.sane_config_dir
    out = open(os.path.join(tmp, 'app.log'), 'a')
    return procs.start('onewindow', [args.app, '--platform', platform, '--printer', printer,
                                     '--scanner', 'test:0',
                                     '--store', os.path.join(tmp, 'client.db')],
                       env=env, stdout=out, stderr=subprocess.STDOUT)


# ---------------------------------------------------------------------------------------------
# AT-SPI

def atspi():
    import gi
    gi.require_version('Atspi', '2.0')
    import pyatspi
    return pyatspi


def find_app(pyatspi, pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        a = desktop.getChildAtIndex(i)
        try:
            if a is not None and a.get_process_id() == pid:
                return a
        except Exception:
            pass
    return None


def walk(node, depth=0, limit=60):
    """Every descendant of NODE (depth first), skipping what vanishes meanwhile."""
    if node is None or depth > limit:
        return
    yield node
    try:
        n = node.childCount
    except Exception:
        return
    for i in range(n):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1, limit)


def describe(node):
    try:
        states = node.getState()
        flags = ''.join(c for c, s in (('v', 'STATE_VISIBLE'), ('s', 'STATE_SHOWING'),
                                        ('e', 'STATE_ENABLED'), ('f', 'STATE_FOCUSED'))
                        if states.contains(getattr(atspi(), s)))
        return f'{node.getRoleName()} {node.name!r} [{flags}]'
    except Exception as e:
        return f'<gone: {e!r}>'


def dump(root, depth=0, out=None):
    lines = []

    def rec(node, d):
        lines.append('  ' * d + describe(node))
        try:
            for i in range(node.childCount):
                rec(node.getChildAtIndex(i), d + 1)
        except Exception:
            pass
    rec(root, depth)
    return '\n'.join(lines)


def showing(pyatspi, node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def find(pyatspi, root, role=None, name=None, name_re=None, need_showing=True):
    for n in walk(root):
        try:
            if role is not None and n.getRole() != role:
                continue
            if name is not None and n.name != name:
                continue
            if name_re is not None and not re.search(name_re, n.name or ''):
                continue
        except Exception:
            continue
        if need_showing and not showing(pyatspi, n):
            continue
        return n
    return None


def find_all(pyatspi, root, role=None, name_re=None, need_showing=True):
    found = []
    for n in walk(root):
        try:
            if role is not None and n.getRole() != role:
                continue
            if name_re is not None and not re.search(name_re, n.name or ''):
                continue
        except Exception:
            continue
        if need_showing and not showing(pyatspi, n):
            continue
        found.append(n)
    return found

def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def set_text(node, value):
    """Replaces the text of an entry through AT-SPI's EditableText, and checks it took."""
    node.queryEditableText().setTextContents(value)
    wait_for(f'"{node.name}" to hold {value!r}',
             lambda: node.queryText().characterCount == len(value), timeout=5)


def click(pyatspi, root, name_re, role=None):
    """Runs the click action of the button whose accessible name matches NAME_RE."""
    role = role if role is not None else pyatspi.ROLE_PUSH_BUTTON
    button = wait_for(f'the button "{name_re}"',
                      lambda: find(pyatspi, root, role=role, name_re=name_re,
                                   need_showing=False))
    action = button.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'press', 'activate'):
            action.doAction(i)
            return button
    raise Failure(f'the button "{button.name}" has no click action')

def item_names(pyatspi, items):
    names = []
    for i in range(items.childCount):
        try:
            child = items.getChildAtIndex(i)
            if child.getRole() == pyatspi.ROLE_LIST_ITEM:
                names.append(child.name)
        except Exception:
            pass
    return names

KEY_DOWN, KEY_UP, KEY_RETURN = 0xff54, 0xff52, 0xff0d


def key(pyatspi, keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'press', 'activate'):
            action.doAction(i)
            return
    raise Failure(f'"{node.name}" has no click action')


def label_texts(pyatspi, node):
    return [n.name for n in walk(node) if n.getRole() == pyatspi.ROLE_LABEL]


def choose(pyatspi, combo, choice):
    """Picks CHOICE in a GtkDropDown: its button opens the popup list, whose Selection does not
    reach the drop-down in GTK 4.8, so the keyboard moves to the choice and Enter takes it."""
    toggle = find(pyatspi, combo, role=pyatspi.ROLE_PUSH_BUTTON, need_showing=False) \
        or find(pyatspi, combo, role=pyatspi.ROLE_TOGGLE_BUTTON, need_showing=False)
    if toggle is None:
        raise Failure(f'the drop-down "{combo.name}" has no button')
    if choice in label_texts(pyatspi, toggle):
        return
    press(toggle)
    popup = wait_for(f'the list of "{combo.name}"',
                     lambda: find(pyatspi, combo, role=pyatspi.ROLE_LIST, need_showing=False))

    def positions():
        rows = [popup.getChildAtIndex(i) for i in range(popup.childCount)]
        texts = [label_texts(pyatspi, r) for r in rows]
        want = [i for i, t in enumerate(texts) if choice in t]
        focus = [i for i, r in enumerate(rows) if r.getState().contains(pyatspi.STATE_FOCUSED)]
        return (want[0], focus[0]) if want and focus else None
    want, focus = wait_for(f'"{choice}" and the focus in the list of "{combo.name}"', positions,
                           timeout=5)
    for _ in range(abs(want - focus)):
        key(pyatspi, KEY_DOWN if want > focus else KEY_UP)
        time.sleep(0.05)
    key(pyatspi, KEY_RETURN)
    wait_for(f'"{combo.name}" to show "{choice}"',
             lambda: choice in label_texts(pyatspi, toggle), timeout=5)


class AppExited(Failure):
    pass


def app_on_bus(pyatspi, app_proc):
    def found():
        if app_proc.poll() is not None:
            raise AppExited(f'the app exited with status {app_proc.returncode}')
        return find_app(pyatspi, app_proc.pid)
    try:
        return wait_for('the app on the accessibility bus', found, timeout=20, interval=0.2)
    except Failure as e:
        if app_proc.poll() is not None:
            raise AppExited(f'the app exited with status {app_proc.returncode}') from e
        raise


def run(args, app, platform, spool, tmp):
    pyatspi = atspi()
    if args.dump:
        wait_for('a window', lambda: app.childCount > 0)
        time.sleep(2)
        print(dump(app))
        return

    # Log in.
    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    username = wait_for(f'the text field "{NAME_USERNAME}"',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT, name=NAME_USERNAME,
                                     need_showing=False))
    password = wait_for(f'the password field "{NAME_PASSWORD}"',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT,
                                     name=NAME_PASSWORD, need_showing=False))
    set_text(username, 'clerk')
    set_text(password, 'demo')
    click(pyatspi, window, NAME_LOGIN)
    log('pressed', NAME_LOGIN)

    # Find the item by pinyin initials.
    search = wait_for(f'the search field "{NAME_SEARCH}"',
                      lambda: find(pyatspi, window, name=NAME_SEARCH, need_showing=False))
    items = wait_for(f'the list "{NAME_ITEMS}"',
                     lambda: find(pyatspi, window, role=pyatspi.ROLE_LIST, name=NAME_ITEMS,
                                  need_showing=False))
    # Logged in once the catalog fills the list (an empty search lists every item).
    try:
        wait_for('the catalog in the list after logging in',
                 lambda: item_names(pyatspi, items), timeout=15)
    except Failure:
        raise Failure('the list of service items stayed empty after logging in; the window '
                      f'shows: {label_texts(pyatspi, window)}')
    before = item_names(pyatspi, items)
    log(f'logged in as clerk; {len(before)} items listed')
    set_text(search, args.search)
    log(f'typed {args.search!r} into "{NAME_SEARCH}"')

    # The list is rebuilt as the search runs: take it once it has held still for 0.6 s.
    settled = {'names': None, 'since': 0.0}

    def results():
        names = item_names(pyatspi, items)
        now = time.monotonic()
        if names != settled['names']:
            settled['names'], settled['since'] = names, now
            return None
        if names and names != before and now - settled['since'] >= 0.6:
            return names
        return None
    try:
        found = wait_for(f'the search for {args.search!r} to list service items', results,
                         timeout=10)
    except Failure:
        raise Failure(f'searching for {args.search!r} lists no service item (is pinyin search '
                      f'in?); the list shows {item_names(pyatspi, items)[:5]}')
    log(f'{len(found)} result(s); choosing the first: {found[0]}')
    first = wait_for('the first result', lambda: find(pyatspi, items, role=pyatspi.ROLE_LIST_ITEM,
                                                       need_showing=False))
    # A GtkListBox offers AT-SPI's Selection; selecting a row is what a click on it does.
    if not items.querySelection().selectChild(first.getIndexInParent()):
        raise Failure(f'could not select the first result "{first.name}"')

    # Its materials checklist: every line "On paper".
    materials = wait_for(f'the list "{NAME_MATERIALS}"',
                         lambda: find(pyatspi, window, role=pyatspi.ROLE_LIST,
                                      name=NAME_MATERIALS, need_showing=False))
    combos = wait_for('the materials of the chosen item',
                      lambda: find_all(pyatspi, materials, role=pyatspi.ROLE_COMBO_BOX,
                                       name_re='^' + re.escape(STATUS_PREFIX),
                                       need_showing=False))
    log(f'{len(combos)} material(s)')
    for combo in combos:
        choose(pyatspi, combo, ON_PAPER)
    log(f'every material marked "{ON_PAPER}"')

    # The applicant.
    for label, value in zip((NAME_APPLICANT_NAME, NAME_APPLICANT_ID, NAME_MOBILE), APPLICANT):
        entry = wait_for(f'the text field "{label}"',
                         lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT, name=label,
                                      need_showing=False))
        set_text(entry, value)
    log('applicant entered')

    # Accept.
    accept = wait_for('the accept button',
                      lambda: find(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON,
                                   name_re=NAME_ACCEPT, need_showing=False))
    # GTK 4.8 marks an insensitive widget by leaving out SENSITIVE.
    wait_for('the accept button to be enabled',
             lambda: accept.getState().contains(pyatspi.STATE_SENSITIVE), timeout=10)
    press(accept)
    log('pressed', repr(accept.name))

    # Outside the app: the platform has the case, the printer the notice. (The app's toast
    # "Case … accepted; notice printed" lasts 5 s, shorter than a walk of the tree may take on a
    # busy machine, so the case is found on the platform by its applicant instead.)
    try:
        case_no = check_platform(platform)
        check_spool(spool)
    except Failure as e:
        raise Failure(f'{e}; the window shows: {label_texts(pyatspi, window)}')


def check_platform(platform):
    body = json.dumps({'username': 'clerk', 'password': 'demo'}).encode()
    req = urllib.request.Request(platform + 'api/v1/sessions', data=body, method='POST',
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=5) as r:
        token = json.load(r)['token']

    def get(path):
        req = urllib.request.Request(platform + path,
                                     headers={'Authorization': 'Bearer ' + token})
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.load(r)

    def listed():
        cases = get(f'api/v1/cases?hall={HALL}').get('cases', [])
        for c in cases:
            if (c.get('applicant') or {}).get('id_number') == APPLICANT[1]:
                return c['case_no']
        return None
    case_no = wait_for(f'the case of {APPLICANT[0]} on the platform '
                       f'(GET /api/v1/cases?hall={HALL})', listed, timeout=25, interval=0.3)
    case = get(f'api/v1/cases/{case_no}')
    applicant = case.get('applicant') or {}
    got = (applicant.get('name'), applicant.get('id_number'), applicant.get('phone'))
    if got != APPLICANT:
        raise Failure(f'the platform has the applicant {got}, not {APPLICANT}')
    if case.get('state') != 'accepted':
        raise Failure(f'the case on the platform is {case.get("state")!r}, not accepted')
    statuses = {m.get('status') for m in case.get('materials', [])}
    if statuses != {'paper'}:
        raise Failure(f'the materials on the platform are {statuses}, not all paper')
    log(f'case {case_no} is on the platform, accepted, applicant {got[0]}')
    return case_no


def check_spool(spool):
    def notice():
        for name in sorted(os.listdir(spool)):
            path = os.path.join(spool, name)
            if not os.path.isfile(path):
                continue
            with open(path, 'rb') as f:
                if f.read(5) != b'%PDF-':
                    continue
            r = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True,
                               timeout=10)
            if r.returncode == 0 and '受理通知书' in r.stdout.decode('utf-8', 'replace'):
                return name
        return None
    name = wait_for("a PDF with 受理通知书 in the printer's spool", notice, timeout=20,
                    interval=0.3)
    log('the notice is in the spool:', name)


def main():
    global OVERALL_TIMEOUT
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', default=os.environ.get('OW_APP'))
    parser.add_argument('--platform', default=os.environ.get('OW_PLATFORM'))
    parser.add_argument('--data-dir', default=os.environ.get('OW_DATA_DIR'))
    parser.add_argument('--sane-config-dir', default=os.environ.get('SANE_CONFIG_DIR'))
    # Debian keeps ippeveprinter in /usr/sbin, off an ordinary user's PATH.
    parser.add_argument('--ippeveprinter', default=os.environ.get('OW_IPPEVEPRINTER',
                                                                  '/usr/sbin/ippeveprinter'))
    parser.add_argument('--search', default=SEARCH_TEXT,
                        help='what to type into the search (for trying the test by hand)')
    parser.add_argument('--timeout', type=int, default=OVERALL_TIMEOUT,
                        help='the cap on the whole run, in seconds (default 60)')
    parser.add_argument('--dump', action='store_true', help='print the accessible tree and stop')
    parser.add_argument('--keep', action='store_true', help='keep the temporary folder')
    args = parser.parse_args()
    OVERALL_TIMEOUT = args.timeout
    for what in ('app', 'platform', 'data_dir', 'sane_config_dir'):
        if not getattr(args, what):
            parser.error(f'--{what.replace("_", "-")} is needed')

    # Skip (77, as meson counts it) where the tools are missing, rather than fail.
    missing = [t for t in ('ipptool', 'pdftotext', 'dbus-daemon') if shutil.which(t) is None]
    if not os.access(args.ippeveprinter, os.X_OK):
        missing.append(args.ippeveprinter)
    try:
        atspi()
    except (ImportError, ValueError) as e:
        missing.append(f'pyatspi ({e})')
    for path in (args.app, args.platform):
        if not os.access(path, os.X_OK):
            missing.append(path)
    if missing:
        print('SKIP: missing', ', '.join(missing))
        return 77

    # The cap on the whole run, whatever blocks: SIGALRM raises in the main thread.
    def on_alarm(signum, frame):
        raise OverallTimeout(f'the test ran longer than {OVERALL_TIMEOUT} s')
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(OVERALL_TIMEOUT)

    tmp = tempfile.mkdtemp(prefix='ow-e2e-')
    procs = Processes()
    ok = False
    retry_own_x = False
    try:
        if not hold_display(procs):
            if os.environ.get('OW_E2E_OWN_XVFB'):
                raise Failure('not even our own Xvfb takes connections')
            retry_own_x = True
            raise Failure(f'the display {os.environ.get("DISPLAY")} takes no connections')
        platform = start_platform(procs, args, tmp)
        printer, spool = start_printer(procs, tmp, args.ippeveprinter)
        app_proc = start_app(procs, args, tmp, platform, printer)
        app = app_on_bus(atspi(), app_proc)
        log('app on the accessibility bus:', app.name)
        run(args, app, platform, spool, tmp)
        ok = True
    except AppExited as e:
        log('FAIL:', e)
        with open(os.path.join(tmp, 'app.log'), errors='replace') as f:
            retry_own_x = ('cannot open display' in f.read()
                           and not os.environ.get('OW_E2E_OWN_XVFB'))
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
        if not ok or args.keep:
            for name in ('app.log', 'platform.log', 'printer.log'):
                path = os.path.join(tmp, name)
                if os.path.exists(path) and not ok:
                    with open(path, errors='replace') as f:
                        text = f.read()
                    log(f'--- {name} (last 3000 characters) ---\n' + text[-3000:])
        if args.keep:
            log('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log('PASS' if ok else 'FAIL', f'in {time.monotonic() - T0:.1f} s')
    if retry_own_x:
        return rerun_on_own_xvfb()
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
