/* ow-accessible.h — what a screen reader hears: plain names, operable check boxes
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Mends, for every widget of the process as it is mapped, what GTK 4.8 tells assistive
 * technologies wrongly:
 *  - a control with a mnemonic is named by its raw label plus the label again
 *    ("_Log In Log In"): it is named once, by the label's plain text ("Log In"; "登录" for
 *    "登录(_L)");
 *  - a label with a mnemonic names its widget with the mnemonic in it ("用户名(U)");
 *  - the button of a GtkDropDown is named "GtkToggleButton": it takes the drop-down's name and
 *    is described by the choice it shows;
 *  - a GtkCheckButton has no action, so assistive technology cannot tick it: it gets
 *    "check.toggle";
 *  - what is not on screen (the pages of a stack not shown, a closed popover) is presented
 *    as if it were: it is hidden from assistive technology while it is off screen.
 * A mnemonic control is therefore named by its label alone: one that needs another name has
 * no mnemonic. Called once, when the application starts. */
void   ow_accessible_install        (void);

/* @text of a label with mnemonics as it is read out: without the underscore, and without a
 * mnemonic in parentheses as Chinese labels carry it ("登录(_L)…" → "登录…"). */
char  *ow_accessible_plain_text     (const char *text);

G_END_DECLS
