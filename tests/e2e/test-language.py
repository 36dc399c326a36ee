#!/usr/bin/env python3
# test-language.py — the built app speaks the session's language: Chinese labels over AT-SPI.
#
# The app from the build tree (as tools/demo starts it), in the environment --language or
# --env give (LANGUAGE=zh_CN; or LANG=zh_CN.UTF-8 alone, as a machine set to Chinese has it,
# also where that locale was never generated). The test finds, by role and name, the log-in
# page, the window's title and, once logged in, the workspaces and the intake page in Chinese:
# each name as the compiled catalogue of the build tree (--localedir) translates it, and each
# of them Chinese — never the English message.
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import gettext
import re
import sys

from owe2e import Failure, atspi, find, log, main, press, set_text, wait_for

HAN = re.compile(r'[\u4e00-\u9fff]')


def run(args, app, platform, spool, tmp):
    pyatspi = atspi()
    catalogue = gettext.translation('onewindow', localedir=args.localedir,
                                    languages=[args.expect])

    def chinese(msgid):
        """MSGID as the app must show it: translated, Chinese, its mnemonic as read out."""
        text = catalogue.gettext(msgid)
        if text == msgid or not HAN.search(text):
            raise Failure(f'the catalogue has no Chinese for {msgid!r}')
        text = re.sub(r'\s*[(（]_[A-Za-z0-9][)）]', '', text)
        return re.sub(r'_(.)', r'\1', text)

    def expect(root, role, msgid, what):
        name = chinese(msgid)
        node = wait_for(f'{what} named {name!r} (for {msgid!r})',
                        lambda: find(pyatspi, root, role=role, name=name, need_showing=False),
                        timeout=20)
        log(f'{what}: {name!r}')
        return node

    window = expect(app, pyatspi.ROLE_FRAME, 'OneWindow', 'the window')
    user = expect(window, pyatspi.ROLE_TEXT, '_User name', 'the user name field')
    password = expect(window, pyatspi.ROLE_PASSWORD_TEXT, '_Password', 'the password field')
    login = expect(window, pyatspi.ROLE_PUSH_BUTTON, '_Log In', 'the log-in button')
    set_text(user, 'clerk')
    set_text(password, 'demo')
    press(login)

    expect(window, pyatspi.ROLE_PAGE_TAB, 'Intake', 'the intake workspace')
    expect(window, pyatspi.ROLE_PAGE_TAB, 'Unfinished Business', 'the unfinished-business workspace')
    expect(window, pyatspi.ROLE_ENTRY, 'Search service items', 'the search')
    expect(window, pyatspi.ROLE_LIST, 'Service items', 'the results')
    expect(window, pyatspi.ROLE_TEXT, '_ID number', "the applicant's ID number")
    expect(window, pyatspi.ROLE_PUSH_BUTTON, '_Accept and Print Notice', 'the accept button')
    log(f'the app speaks {args.expect}')


def add_arguments(parser):
    parser.add_argument('--localedir', required=True, help='BUILD/po')
    parser.add_argument('--expect', default='zh_CN', help='the language the app must speak')


if __name__ == '__main__':
    sys.exit(main(run, "The built app speaks the session's language.", add_arguments))
