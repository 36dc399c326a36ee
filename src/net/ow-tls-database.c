/* ow-tls-database.c — trust a hall's own CA in addition to the system's (private to net/)
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A platform inside a government network often has a certificate from the province's own CA.
 * g_tls_file_database_new() alone would trust only that CA and lose the system's, so this
 * database asks the file's anchors first and the system's second.
 */
#include "config.h"

#include "net/ow-tls-database.h"

struct _OwTlsDatabase
{
  GTlsDatabase  parent_instance;

  GTlsDatabase *file;
  GTlsDatabase *system;   /* NULL when the TLS backend has none */
};

G_DEFINE_TYPE (OwTlsDatabase, ow_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
ow_tls_database_verify_chain (GTlsDatabase             *database,
                              GTlsCertificate          *chain,
                              const char               *purpose,
                              GSocketConnectable       *identity,
                              GTlsInteraction          *interaction,
                              GTlsDatabaseVerifyFlags   flags,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  OwTlsDatabase *self = OW_TLS_DATABASE (database);
  GTlsCertificateFlags result;

  result = g_tls_database_verify_chain (self->file, chain, purpose, identity, interaction, flags,
                                        cancellable, error);
  if (result == 0 || self->system == NULL || (error != NULL && *error != NULL))
    return result;
  return g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction, flags,
                                      cancellable, error);
}

static GTlsCertificate *
ow_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                           GTlsCertificate          *certificate,
                                           GTlsInteraction          *interaction,
                                           GTlsDatabaseLookupFlags   flags,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  OwTlsDatabase *self = OW_TLS_DATABASE (database);
  GTlsCertificate *issuer;

  issuer = g_tls_database_lookup_certificate_issuer (self->file, certificate, interaction, flags,
                                                     cancellable, error);
  if (issuer != NULL || self->system == NULL || (error != NULL && *error != NULL))
    return issuer;
  return g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction, flags,
                                                   cancellable, error);
}

static GList *
ow_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                               GByteArray               *issuer_raw_dn,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  OwTlsDatabase *self = OW_TLS_DATABASE (database);
  GList *found;

  found = g_tls_database_lookup_certificates_issued_by (self->file, issuer_raw_dn, interaction,
                                                        flags, cancellable, error);
  if (self->system != NULL && (error == NULL || *error == NULL))
    found = g_list_concat (found,
                           g_tls_database_lookup_certificates_issued_by (self->system,
                                                                         issuer_raw_dn,
                                                                         interaction, flags,
                                                                         cancellable, error));
  return found;
}

static char *
ow_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                           GTlsCertificate *certificate)
{
  OwTlsDatabase *self = OW_TLS_DATABASE (database);

  return g_tls_database_create_certificate_handle (self->file, certificate);
}

static GTlsCertificate *
ow_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                               const char               *handle,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  OwTlsDatabase *self = OW_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_for_handle (self->file, handle, interaction, flags,
                                                       cancellable, error);
}

static void
ow_tls_database_dispose (GObject *object)
{
  OwTlsDatabase *self = OW_TLS_DATABASE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->system);

  G_OBJECT_CLASS (ow_tls_database_parent_class)->dispose (object);
}

static void
ow_tls_database_class_init (OwTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->dispose = ow_tls_database_dispose;

  /* The async variants fall back to running these in a thread. */
  database_class->verify_chain = ow_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = ow_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = ow_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = ow_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = ow_tls_database_lookup_certificate_for_handle;
}

static void
ow_tls_database_init (OwTlsDatabase *self)
{
}

GTlsDatabase *
ow_tls_database_new (const char  *ca_file,
                     GError     **error)
{
  g_autoptr(GTlsDatabase) file = NULL;
  OwTlsDatabase *self;
  GTlsDatabase *system;

  g_return_val_if_fail (ca_file != NULL, NULL);

  file = g_tls_file_database_new (ca_file, error);
  if (file == NULL)
    return NULL;

  self = g_object_new (OW_TYPE_TLS_DATABASE, NULL);
  self->file = g_steal_pointer (&file);
  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  self->system = system;   /* get_default_database returns a new reference */
  return G_TLS_DATABASE (self);
}
