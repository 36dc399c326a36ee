#!/usr/bin/env python3
# owe2e.py — what the end-to-end tests share: the real app, platform and printer started as
# processes, and the app driven through AT-SPI (pyatspi) the way a person works — by accessible
# roles and names, and with real key events where the test is about the keyboard.
#
# A test calls main(run, description, add_arguments) with its own
# run(args, app, platform, spool, tmp). main() parses the common options (--app, --platform,
# --data-dir, --sane-config-dir, --ippeveprinter, --language, --env, --timeout, --dump,
# --keep), skips (77, as meson counts it) when a tool is missing, caps the whole run with
# SIGALRM, starts onewindow-platform --demo, ippeveprinter (with a private dbus-daemon of its
# own) and the app, and stops everything by PID, also on failure. When the display xvfb-run
# handed over takes no connections (xvfb-run -a races with other xvfb-runs for display
# numbers), the script runs itself again once under an Xvfb of its own and a fresh
# dbus-run-session.
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

OVERALL_TIMEOUT = 60          # seconds, for the whole script; --timeout changes it
T0 = time.monotonic()
HALL = '46010001'               # the demo platform's hall


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


def rerun_on_own_xvfb(script):
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
                                  os.path.abspath(script)] + sys.argv[1:], env=env)
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
    """The app as a clerk starts it, in the language of --language (English when none) and
    with the environment of --env NAME=VALUE … (as a machine's locale sets it)."""
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)       # test_env sets it for the in-process tests
    env.pop('GTK_A11Y', None)
    env['GDK_BACKEND'] = 'x11'
    env['LC_ALL'] = 'C.UTF-8'
    env.pop('LANGUAGE', None)
    if args.language:
        env['LANGUAGE'] = args.language
    for item in args.env or []:
        name, _, value = item.partition('=')
        if value:
            env[name] = value
        else:
            env.pop(name, None)
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


def walk(node, depth=0, limit=60, only_showing=False):
    """Every descendant of NODE (depth first), skipping what vanishes meanwhile; with
    ONLY_SHOWING, not what is off screen nor anything under it (which saves walking a hidden
    page: every step is a round trip on the bus)."""
    if node is None or depth > limit:
        return
    if only_showing and depth > 1 and not showing(atspi(), node):
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
        yield from walk(child, depth + 1, limit, only_showing)


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
    """Whether NODE is on screen. GTK 4.8 sets no STATE_SHOWING below the window frame; a
    widget that is not mapped has empty extents. What has no extents at all (a GtkStackPage)
    is taken to show when its parent does."""
    try:
        if node.getState().contains(pyatspi.STATE_SHOWING):
            return True
        component = node.queryComponent()
    except NotImplementedError:
        return True
    except Exception:
        return False
    try:
        extents = component.getExtents(pyatspi.WINDOW_COORDS)
        return extents.width > 0 and extents.height > 0
    except Exception:
        return False


def find(pyatspi, root, role=None, name=None, name_re=None, need_showing=True):
    for n in walk(root, only_showing=need_showing):
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
    for n in walk(root, only_showing=need_showing):
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




# ---------------------------------------------------------------------------------------------
# The keyboard as X events (AT-SPI's registry sends them through XTest): what the clerk presses

KEYSYMS = {'Tab': 0xff09, 'Return': 0xff0d, 'Escape': 0xff1b, 'Down': 0xff54, 'Up': 0xff52,
           'Left': 0xff51, 'Right': 0xff53, 'space': 0x20, 'Home': 0xff50, 'End': 0xff57,
           'BackSpace': 0xff08, 'F10': 0xffc7}
# The modifiers' keycodes on Xvfb's default keymap.
MODIFIER_KEYCODES = {'ctrl': 37, 'shift': 50, 'alt': 64}


class Keyboard:
    """Sends key presses and counts them: a chord (ctrl+Return) is one press, as a person counts
    it; a text typed into a field is counted apart, once per field."""

    def __init__(self, settle=0.2):
        self.settle = settle
        self.presses = []       # what was pressed, in order: 'Tab', 'ctrl+Return' …
        self.typed = []         # the texts typed, in order

    def press(self, combo, times=1):
        from gi.repository import Atspi
        *mods, name = combo.split('+')
        keysym = KEYSYMS[name] if name in KEYSYMS else ord(name)
        for _ in range(times):
            for m in mods:
                Atspi.generate_keyboard_event(MODIFIER_KEYCODES[m], None,
                                              Atspi.KeySynthType.PRESS)
            Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
            for m in reversed(mods):
                Atspi.generate_keyboard_event(MODIFIER_KEYCODES[m], None,
                                              Atspi.KeySynthType.RELEASE)
            self.presses.append(combo)
            time.sleep(self.settle)

    def type(self, text):
        from gi.repository import Atspi
        # A character the keymap lacks (汉字) is sent by remapping a spare keycode: sent in one
        # string, the next remapping can land before the app has read the key before it, and
        # "王五" arrives as "五五" on a loaded machine. Those go one at a time, with a pause.
        if text.isascii():
            Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
        else:
            for ch in text:
                Atspi.generate_keyboard_event(0, ch, Atspi.KeySynthType.STRING)
                time.sleep(0 if ch.isascii() else 0.3)
        self.typed.append(text)
        time.sleep(self.settle)

    def actions(self):
        """Key presses plus fields typed: what a person does."""
        return len(self.presses) + len(self.typed)

    def summary(self):
        return (f'{len(self.presses)} key presses ({", ".join(self.presses)}) and '
                f'{len(self.typed)} texts typed ({", ".join(repr(t) for t in self.typed)})')


def focused(root):
    """The object that has the keyboard focus under ROOT, or None."""
    pyatspi = atspi()
    for n in walk(root):
        try:
            if n.getState().contains(pyatspi.STATE_FOCUSED):
                return n
        except Exception:
            pass
    return None


def wait_focus(root, what, role=None, name=None, name_re=None, timeout=10):
    """Waits until the focus is on an object of ROLE named NAME (or matching NAME_RE)."""
    def on_it():
        n = focused(root)
        try:
            if n is None or (role is not None and n.getRole() != role):
                return None
            if name is not None and n.name != name:
                return None
            if name_re is not None and not re.search(name_re, n.name or ''):
                return None
        except Exception:
            return None
        return n
    try:
        return wait_for(what, on_it, timeout=timeout)
    except Failure:
        raise Failure(f'{what}: the focus is on {describe(focused(root))}')


# ---------------------------------------------------------------------------------------------
# What the app did, seen from outside: the platform over HTTP, the printer's spool

def platform_get(platform, path, username='clerk'):
    """GET PATH from the platform as USERNAME (password "demo"); the JSON answer."""
    body = json.dumps({'username': username, 'password': 'demo'}).encode()
    req = urllib.request.Request(platform + 'api/v1/sessions', data=body, method='POST',
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=5) as r:
        token = json.load(r)['token']
    req = urllib.request.Request(platform + path, headers={'Authorization': 'Bearer ' + token})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)


def wait_case_of(platform, id_number, timeout=25):
    """The case of the applicant with ID_NUMBER once the platform has it (the counter sends it
    after the clerk moved on), as GET /api/v1/cases/{case_no} answers."""
    def listed():
        for c in platform_get(platform, f'api/v1/cases?hall={HALL}').get('cases', []):
            if (c.get('applicant') or {}).get('id_number') == id_number:
                return c['case_no']
        return None
    case_no = wait_for(f'the case of {id_number} on the platform (GET /api/v1/cases?hall={HALL})',
                       listed, timeout=timeout, interval=0.3)
    return platform_get(platform, f'api/v1/cases/{case_no}')


def spooled_pdfs(spool, text=None):
    """The PDFs in the printer's spool (paths, oldest first), those whose text has TEXT."""
    found = []
    for name in sorted(os.listdir(spool), key=lambda n: os.path.getmtime(os.path.join(spool, n))):
        path = os.path.join(spool, name)
        if not os.path.isfile(path):
            continue
        with open(path, 'rb') as f:
            if f.read(5) != b'%PDF-':
                continue
        if text is not None:
            r = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True,
                               timeout=10)
            if r.returncode != 0 or text not in r.stdout.decode('utf-8', 'replace'):
                continue
        found.append(path)
    return found


def main(run, description, add_arguments=None):
    """Runs RUN(args, app, platform, spool, tmp) against the real app; returns the exit
    status for sys.exit()."""
    global OVERALL_TIMEOUT
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--app', default=os.environ.get('OW_APP'))
    parser.add_argument('--platform', default=os.environ.get('OW_PLATFORM'))
    parser.add_argument('--data-dir', default=os.environ.get('OW_DATA_DIR'))
    parser.add_argument('--sane-config-dir', default=os.environ.get('SANE_CONFIG_DIR'))
    # Debian keeps ippeveprinter in /usr/sbin, off an ordinary user's PATH.
    parser.add_argument('--ippeveprinter', default=os.environ.get('OW_IPPEVEPRINTER',
                                                                  '/usr/sbin/ippeveprinter'))
    parser.add_argument('--language', help='LANGUAGE for the app (default: English)')
    parser.add_argument('--env', action='append', metavar='NAME=VALUE',
                        help='more environment for the app (NAME= removes NAME)')
    parser.add_argument('--timeout', type=int, default=OVERALL_TIMEOUT,
                        help='the cap on the whole run, in seconds (default 60)')
    parser.add_argument('--dump', action='store_true', help='print the accessible tree and stop')
    parser.add_argument('--keep', action='store_true', help='keep the temporary folder')
    if add_arguments is not None:
        add_arguments(parser)
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
        if args.dump:
            wait_for('a window', lambda: app.childCount > 0)
            time.sleep(2)
            print(dump(app))
        else:
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
        return rerun_on_own_xvfb(sys.argv[0])
    return 0 if ok else 1
