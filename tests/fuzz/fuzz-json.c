/* fuzz-json.c — libFuzzer target of the JSON codecs (owcodec), shared by client and platform
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built with -Dfuzzing=true (CC=clang; see tests/fuzz/meson.build), with AddressSanitizer and
 * UndefinedBehaviorSanitizer. Each input is parsed as the platform parses a request body, and
 * whatever parses goes through every decoder. Beyond "no crash, no leak, no undefined
 * behaviour", it checks what the contract rests on:
 *  - a parse fails with OW_CORE_ERROR_PARSE, or OW_CORE_ERROR_INVALID (a NUL) naming a member
 *    unless the input is one string;
 *  - the canonical form parses again into the same canonical form (what idempotent PUTs
 *    compare), and holds no NUL byte;
 *  - a decoded case, case event, ticket or ticket event encodes into JSON that decodes again
 *    and encodes into the same canonical form: a value round-trips exactly.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ow-error.h"
#include "net/ow-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check (gboolean    condition,
       const char *what)
{
  if (!condition)
    {
      g_printerr ("fuzz-json: %s\n", what);
      abort ();
    }
}

static JsonNode *
reparse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = ow_json_parse (text, -1, &error);

  if (node == NULL)
    g_printerr ("fuzz-json: the canonical form does not parse: %s\n%s\n", error->message, text);
  check (node != NULL, "canonical form parses");
  return node;
}

static char *
canonical_of (JsonNode *node)
{
  char *text = ow_json_to_canonical (node);

  check (text != NULL, "canonical form written");
  return text;
}

typedef gpointer (*Decode)  (JsonNode *node, char **field, GError **error);
typedef JsonNode *(*Encode) (gpointer value);

/* Decodes @node; when it decodes, the value must survive encode → parse → decode → encode. */
static void
round_trip (JsonNode       *node,
            Decode          decode,
            Encode          encode,
            GDestroyNotify  destroy,
            const char     *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  gpointer value = decode (node, &field, &error);
  gpointer again_value;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *again_field = NULL;
  g_autoptr(GError) again_error = NULL;

  if (value == NULL)
    {
      check (error != NULL && error->domain == OW_CORE_ERROR, "a failed decode says why");
      return;
    }
  check (error == NULL, "a decode that succeeds sets no error");

  first = encode (value);
  first_text = canonical_of (first);
  parsed = reparse (first_text);
  again_value = decode (parsed, &again_field, &again_error);
  if (again_value == NULL)
    g_printerr ("fuzz-json: a %s does not decode again (%s): %s\n", what,
                again_error->message, first_text);
  check (again_value != NULL, "an encoded value decodes again");
  second = encode (again_value);
  second_text = canonical_of (second);
  if (strcmp (first_text, second_text) != 0)
    g_printerr ("fuzz-json: a %s changes in a round trip:\n%s\n%s\n", what, first_text,
                second_text);
  check (strcmp (first_text, second_text) == 0, "a round trip is exact");
  destroy (value);
  destroy (again_value);
}

static gpointer decode_case (JsonNode *n, char **f, GError **e) { return ow_json_to_case (n, f, e); }
static JsonNode *encode_case (gpointer v) { return ow_json_from_case (v); }
static gpointer decode_event (JsonNode *n, char **f, GError **e) { return ow_json_to_case_event (n, f, e); }
static JsonNode *encode_event (gpointer v) { return ow_json_from_case_event (v); }
static gpointer decode_ticket (JsonNode *n, char **f, GError **e) { return ow_json_to_ticket (n, f, e); }
static JsonNode *encode_ticket (gpointer v) { return ow_json_from_ticket (v); }
static gpointer decode_ticket_event (JsonNode *n, char **f, GError **e) { return ow_json_to_ticket_event (n, f, e); }
static JsonNode *encode_ticket_event (gpointer v) { return ow_json_from_ticket_event (v); }
static gpointer decode_item (JsonNode *n, char **f, GError **e) { return ow_json_to_item (n, f, e); }
static JsonNode *encode_item (gpointer v) { return ow_json_from_item (v); }

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *field = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_again = NULL;

  node = ow_json_parse_full ((const char *) data, (gssize) size, &field, &error);
  if (node == NULL)
    {
      check (error != NULL && error->domain == OW_CORE_ERROR &&
             (error->code == OW_CORE_ERROR_PARSE || error->code == OW_CORE_ERROR_INVALID),
             "a failed parse is PARSE or INVALID");
      check (error->code == OW_CORE_ERROR_INVALID || field == NULL,
             "only INVALID names a member");
      return 0;
    }
  check (error == NULL && field == NULL, "a parse that succeeds sets no error");

  canonical = canonical_of (node);
  again = reparse (canonical);
  canonical_again = canonical_of (again);
  check (strcmp (canonical, canonical_again) == 0, "the canonical form is stable");

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return 0;

  round_trip (node, decode_case, encode_case, g_object_unref, "case");
  round_trip (node, decode_event, encode_event, (GDestroyNotify) ow_json_case_event_free,
              "case event");
  round_trip (node, decode_ticket, encode_ticket, (GDestroyNotify) ow_ticket_free, "ticket");
  round_trip (node, decode_ticket_event, encode_ticket_event,
              (GDestroyNotify) ow_ticket_event_free, "ticket event");
  round_trip (node, decode_item, encode_item, g_object_unref, "catalog item");

  {
    g_autoptr(GError) catalog_error = NULL;
    g_autoptr(OwCatalog) catalog = ow_json_to_catalog (node, &catalog_error);

    check ((catalog == NULL) == (catalog_error != NULL), "a catalog decodes or says why");
  }
  {
    g_autoptr(GError) applicant_error = NULL;
    g_autofree char *applicant_field = NULL;
    OwApplicant *applicant = ow_json_to_applicant (node, NULL, &applicant_field,
                                                   &applicant_error);

    check ((applicant == NULL) == (applicant_error != NULL), "an applicant decodes or says why");
    if (applicant != NULL)
      {
        g_autoptr(JsonNode) encoded = ow_json_from_applicant (applicant);
        g_autofree char *text = canonical_of (encoded);
        JsonNode *parsed = reparse (text);

        json_node_unref (parsed);
        ow_applicant_free (applicant);
      }
  }
  return 0;
}
