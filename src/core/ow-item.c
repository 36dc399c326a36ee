/* ow-item.c — a service item (政务服务事项) and its required materials, after GB/T 39046-2020
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ow-item.h"

/* Text fields are never NULL: an unset field reads as "", as the catalog's JSON writes it. */
#define SET_TEXT(field, value) G_STMT_START { \
  g_free (field); \
  (field) = g_strdup ((value) != NULL ? (value) : ""); \
} G_STMT_END

struct _OwMaterial
{
  GObject           parent_instance;

  char             *id;
  char             *name;
  char             *issuer;
  guint             originals;
  guint             copies;
  gboolean          required;
  OwMaterialForm    form;
  OwMaterialSource  source;
  char             *source_label;
  gboolean          shared_exempt;
  gboolean          licence_exempt;
  gboolean          tolerable;
  char             *standard;
  char             *notes;
  char             *blank_form;
  char             *sample;
};

struct _OwItem
{
  GObject          parent_instance;

  char            *id;
  char            *name;
  char            *basic_code;
  char           **aliases;
  OwItemType       type;
  OwItemLevel      level;
  char            *department;
  char            *department_code;
  guint            legal_limit;
  guint            promised_limit;
  char            *conditions;
  char            *process;
  char            *quantity_limit;
  char            *result_name;
  char            *result_sample;
  gboolean         charged;
  char            *fee_basis;
  char            *place;
  char            *hours;
  char            *phone;
  char            *supervision_phone;
  guint            visits;
  OwTargetFlags    targets;
  OwHandlingForms  forms;
  GListStore      *materials;
  char           **faq;
  /* Only what lists and the search need (ow_item_new_summary()); the rest is not loaded. */
  gboolean         summary;
};

G_DEFINE_FINAL_TYPE (OwMaterial, ow_material, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (OwItem, ow_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *material_properties[N_PROPS];
static GParamSpec *item_properties[N_PROPS];

static const struct
{
  OwItemType  type;
  const char *code;
  const char *label;
} item_types[] = {
  { OW_ITEM_TYPE_LICENSING, "01", "行政许可" },
  { OW_ITEM_TYPE_PENALTY, "02", "行政处罚" },
  { OW_ITEM_TYPE_COERCION, "03", "行政强制" },
  { OW_ITEM_TYPE_LEVY, "04", "行政征收" },
  { OW_ITEM_TYPE_PAYMENT, "05", "行政给付" },
  { OW_ITEM_TYPE_INSPECTION, "06", "行政检查" },
  { OW_ITEM_TYPE_CONFIRMATION, "07", "行政确认" },
  { OW_ITEM_TYPE_REWARD, "08", "行政奖励" },
  { OW_ITEM_TYPE_ADJUDICATION, "09", "行政裁决" },
  { OW_ITEM_TYPE_OTHER, "10", "其他类别" },
  { OW_ITEM_TYPE_PUBLIC_SERVICE, "20", "公共服务" },
};

static const char * const source_labels[] = {
  [OW_MATERIAL_SOURCE_APPLICANT] = "申请人自备",
  [OW_MATERIAL_SOURCE_GOVERNMENT] = "政府部门核发",
  [OW_MATERIAL_SOURCE_OTHER] = "其他",
};

static const char * const empty_strv[] = { NULL };

/* What a summary does not hold: asking a summary for it is a programming error, not an empty
 * answer, or a checklist would silently come out empty. */
#define return_val_unless_complete(self, val) G_STMT_START { \
  g_return_val_if_fail (OW_IS_ITEM (self), (val)); \
  g_return_val_if_fail (!(self)->summary, (val)); \
} G_STMT_END

const char *
ow_item_type_to_code (OwItemType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (item_types); i++)
    if (item_types[i].type == type)
      return item_types[i].code;
  return NULL;
}

gboolean
ow_item_type_from_code (const char *code,
                        OwItemType *type)
{
  if (code == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (item_types); i++)
    if (g_str_equal (item_types[i].code, code))
      {
        if (type != NULL)
          *type = item_types[i].type;
        return TRUE;
      }
  return FALSE;
}

const char *
ow_item_type_to_label (OwItemType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (item_types); i++)
    if (item_types[i].type == type)
      return item_types[i].label;
  return NULL;
}

gboolean
ow_item_type_is_reform (OwItemType type)
{
  switch (type)
    {
    case OW_ITEM_TYPE_LICENSING:
    case OW_ITEM_TYPE_CONFIRMATION:
    case OW_ITEM_TYPE_ADJUDICATION:
    case OW_ITEM_TYPE_REWARD:
    case OW_ITEM_TYPE_PAYMENT:
    case OW_ITEM_TYPE_OTHER:
    case OW_ITEM_TYPE_PUBLIC_SERVICE:
      return TRUE;
    case OW_ITEM_TYPE_PENALTY:
    case OW_ITEM_TYPE_COERCION:
    case OW_ITEM_TYPE_LEVY:
    case OW_ITEM_TYPE_INSPECTION:
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------------------------------ */

static void
ow_material_finalize (GObject *object)
{
  OwMaterial *self = OW_MATERIAL (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->issuer);
  g_free (self->source_label);
  g_free (self->standard);
  g_free (self->notes);
  g_free (self->blank_form);
  g_free (self->sample);

  G_OBJECT_CLASS (ow_material_parent_class)->finalize (object);
}

static void
ow_material_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OwMaterial *self = OW_MATERIAL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_material_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OwMaterial *self = OW_MATERIAL (object);

  switch (prop_id)
    {
    case PROP_ID:
      SET_TEXT (self->id, g_value_get_string (value));
      break;
    case PROP_NAME:
      SET_TEXT (self->name, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_material_class_init (OwMaterialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ow_material_finalize;
  object_class->get_property = ow_material_get_property;
  object_class->set_property = ow_material_set_property;

  material_properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  material_properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, material_properties);
}

static void
ow_material_init (OwMaterial *self)
{
  self->id = g_strdup ("");
  self->name = g_strdup ("");
  self->issuer = g_strdup ("");
  self->originals = 1;
  self->copies = 0;
  self->required = TRUE;
  self->form = OW_MATERIAL_FORM_PAPER;
  self->source = OW_MATERIAL_SOURCE_APPLICANT;
  self->standard = g_strdup ("");
  self->notes = g_strdup ("");
  self->blank_form = g_strdup ("");
  self->sample = g_strdup ("");
}

OwMaterial *
ow_material_new (const char *id,
                 const char *name)
{
  return g_object_new (OW_TYPE_MATERIAL, "id", id, "name", name, NULL);
}

OwMaterial *
ow_material_copy (OwMaterial *material,
                  const char *id)
{
  OwMaterial *copy;

  g_return_val_if_fail (OW_IS_MATERIAL (material), NULL);

  copy = ow_material_new (id != NULL ? id : ow_material_get_id (material),
                                      ow_material_get_name (material));

  ow_material_set_issuer (copy, ow_material_get_issuer (material));
  ow_material_set_counts (copy, ow_material_get_originals (material),
                          ow_material_get_copies (material));
  ow_material_set_required (copy, ow_material_get_required (material));
  ow_material_set_form (copy, ow_material_get_form (material));
  ow_material_set_source (copy, ow_material_get_source (material),
                          ow_material_get_source_label (material));
  ow_material_set_shared_exempt (copy, ow_material_get_shared_exempt (material));
  ow_material_set_licence_exempt (copy, ow_material_get_licence_exempt (material));
  ow_material_set_tolerable (copy, ow_material_get_tolerable (material));
  ow_material_set_standard (copy, ow_material_get_standard (material));
  ow_material_set_notes (copy, ow_material_get_notes (material));
  ow_material_set_blank_form (copy, ow_material_get_blank_form (material));
  ow_material_set_sample (copy, ow_material_get_sample (material));
  return copy;
}

const char *
ow_material_get_id (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->id;
}

const char *
ow_material_get_name (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->name;
}

const char *
ow_material_get_issuer (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->issuer;
}

void
ow_material_set_issuer (OwMaterial *self,
                        const char *issuer)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  SET_TEXT (self->issuer, issuer);
}

guint
ow_material_get_originals (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), 0);
  return self->originals;
}

guint
ow_material_get_copies (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), 0);
  return self->copies;
}

void
ow_material_set_counts (OwMaterial *self,
                        guint       originals,
                        guint       copies)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  self->originals = originals;
  self->copies = copies;
}

gboolean
ow_material_get_required (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), FALSE);
  return self->required;
}

void
ow_material_set_required (OwMaterial *self,
                          gboolean    required)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  self->required = !!required;
}

OwMaterialForm
ow_material_get_form (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), OW_MATERIAL_FORM_PAPER);
  return self->form;
}

void
ow_material_set_form (OwMaterial     *self,
                      OwMaterialForm  form)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  g_return_if_fail (form >= OW_MATERIAL_FORM_PAPER && form <= OW_MATERIAL_FORM_EITHER);
  self->form = form;
}

OwMaterialSource
ow_material_get_source (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), OW_MATERIAL_SOURCE_APPLICANT);
  return self->source;
}

const char *
ow_material_get_source_label (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);

  /* The catalog's own wording wins; the standard's when the catalog gave none. */
  if (self->source_label != NULL && *self->source_label != '\0')
    return self->source_label;
  return source_labels[self->source];
}

void
ow_material_set_source (OwMaterial       *self,
                        OwMaterialSource  source,
                        const char       *label)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  g_return_if_fail (source >= OW_MATERIAL_SOURCE_APPLICANT && source <= OW_MATERIAL_SOURCE_OTHER);
  self->source = source;
  g_free (self->source_label);
  self->source_label = g_strdup (label);
}

gboolean
ow_material_get_shared_exempt (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), FALSE);
  return self->shared_exempt;
}

void
ow_material_set_shared_exempt (OwMaterial *self,
                               gboolean    exempt)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  self->shared_exempt = !!exempt;
}

gboolean
ow_material_get_licence_exempt (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), FALSE);
  return self->licence_exempt;
}

void
ow_material_set_licence_exempt (OwMaterial *self,
                                gboolean    exempt)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  self->licence_exempt = !!exempt;
}

gboolean
ow_material_get_tolerable (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), FALSE);
  return self->tolerable;
}

void
ow_material_set_tolerable (OwMaterial *self,
                           gboolean    tolerable)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  self->tolerable = !!tolerable;
}

const char *
ow_material_get_standard (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->standard;
}

void
ow_material_set_standard (OwMaterial *self,
                          const char *text)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  SET_TEXT (self->standard, text);
}

const char *
ow_material_get_notes (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->notes;
}

void
ow_material_set_notes (OwMaterial *self,
                       const char *text)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  SET_TEXT (self->notes, text);
}

const char *
ow_material_get_blank_form (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->blank_form;
}

void
ow_material_set_blank_form (OwMaterial *self,
                            const char *ref)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  SET_TEXT (self->blank_form, ref);
}

const char *
ow_material_get_sample (OwMaterial *self)
{
  g_return_val_if_fail (OW_IS_MATERIAL (self), NULL);
  return self->sample;
}

void
ow_material_set_sample (OwMaterial *self,
                        const char *ref)
{
  g_return_if_fail (OW_IS_MATERIAL (self));
  SET_TEXT (self->sample, ref);
}

/* ------------------------------------------------------------------------------------------ */

static void
ow_item_dispose (GObject *object)
{
  OwItem *self = OW_ITEM (object);

  g_clear_object (&self->materials);

  G_OBJECT_CLASS (ow_item_parent_class)->dispose (object);
}

static void
ow_item_finalize (GObject *object)
{
  OwItem *self = OW_ITEM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->basic_code);
  g_strfreev (self->aliases);
  g_free (self->department);
  g_free (self->department_code);
  g_free (self->conditions);
  g_free (self->process);
  g_free (self->quantity_limit);
  g_free (self->result_name);
  g_free (self->result_sample);
  g_free (self->fee_basis);
  g_free (self->place);
  g_free (self->hours);
  g_free (self->phone);
  g_free (self->supervision_phone);
  g_strfreev (self->faq);

  G_OBJECT_CLASS (ow_item_parent_class)->finalize (object);
}

static void
ow_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OwItem *self = OW_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_item_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  OwItem *self = OW_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      SET_TEXT (self->id, g_value_get_string (value));
      break;
    case PROP_NAME:
      SET_TEXT (self->name, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ow_item_class_init (OwItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ow_item_dispose;
  object_class->finalize = ow_item_finalize;
  object_class->get_property = ow_item_get_property;
  object_class->set_property = ow_item_set_property;

  item_properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  item_properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, item_properties);
}

static void
ow_item_init (OwItem *self)
{
  self->id = g_strdup ("");
  self->name = g_strdup ("");
  self->basic_code = g_strdup ("");
  self->aliases = g_strdupv ((char **) empty_strv);
  self->type = OW_ITEM_TYPE_LICENSING;
  self->level = OW_ITEM_LEVEL_CITY;
  self->department = g_strdup ("");
  self->department_code = g_strdup ("");
  self->conditions = g_strdup ("");
  self->process = g_strdup ("");
  self->quantity_limit = g_strdup ("");
  self->result_name = g_strdup ("");
  self->result_sample = g_strdup ("");
  self->fee_basis = g_strdup ("");
  self->place = g_strdup ("");
  self->hours = g_strdup ("");
  self->phone = g_strdup ("");
  self->supervision_phone = g_strdup ("");
  /* Until the catalog says otherwise an item needs one visit: claiming zero trips wrongly
   * would send an applicant away. */
  self->visits = 1;
  self->targets = OW_TARGET_PERSON;
  self->forms = OW_FORM_WINDOW;
  self->materials = g_list_store_new (OW_TYPE_MATERIAL);
  self->faq = g_strdupv ((char **) empty_strv);
}

OwItem *
ow_item_new (const char *id,
             const char *name)
{
  return g_object_new (OW_TYPE_ITEM, "id", id, "name", name, NULL);
}

OwItem *
ow_item_new_summary (const char *id,
                     const char *name)
{
  OwItem *self = ow_item_new (id, name);

  self->summary = TRUE;
  return self;
}

gboolean
ow_item_is_complete (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), FALSE);
  return !self->summary;
}

const char *
ow_item_get_id (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), NULL);
  return self->id;
}

const char *
ow_item_get_name (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), NULL);
  return self->name;
}

const char *
ow_item_get_basic_code (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), NULL);
  return self->basic_code;
}

void
ow_item_set_basic_code (OwItem     *self,
                        const char *code)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->basic_code, code);
}

const char * const *
ow_item_get_aliases (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), NULL);
  return (const char * const *) self->aliases;
}

void
ow_item_set_aliases (OwItem             *self,
                     const char * const *aliases)
{
  g_return_if_fail (OW_IS_ITEM (self));
  g_strfreev (self->aliases);
  self->aliases = g_strdupv ((char **) (aliases != NULL ? aliases : empty_strv));
}

OwItemType
ow_item_get_item_type (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), OW_ITEM_TYPE_OTHER);
  return self->type;
}

void
ow_item_set_item_type (OwItem     *self,
                       OwItemType  type)
{
  g_return_if_fail (OW_IS_ITEM (self));
  g_return_if_fail (ow_item_type_to_code (type) != NULL);
  self->type = type;
}

OwItemLevel
ow_item_get_level (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), OW_ITEM_LEVEL_CITY);
  return self->level;
}

void
ow_item_set_level (OwItem      *self,
                   OwItemLevel  level)
{
  g_return_if_fail (OW_IS_ITEM (self));
  g_return_if_fail (level >= OW_ITEM_LEVEL_PROVINCE && level <= OW_ITEM_LEVEL_TOWNSHIP);
  self->level = level;
}

const char *
ow_item_get_department (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), NULL);
  return self->department;
}

const char *
ow_item_get_department_code (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->department_code;
}

void
ow_item_set_department (OwItem     *self,
                        const char *name,
                        const char *credit_code)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->department, name);
  SET_TEXT (self->department_code, credit_code);
}

guint
ow_item_get_legal_limit (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), 0);
  return self->legal_limit;
}

guint
ow_item_get_promised_limit (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), 0);
  return self->promised_limit;
}

void
ow_item_set_limits (OwItem *self,
                    guint   legal,
                    guint   promised)
{
  g_return_if_fail (OW_IS_ITEM (self));
  self->legal_limit = legal;
  self->promised_limit = promised;
}

gboolean
ow_item_is_immediate (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), FALSE);
  return self->promised_limit == 0;
}

const char *
ow_item_get_conditions (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->conditions;
}

void
ow_item_set_conditions (OwItem     *self,
                        const char *text)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->conditions, text);
}

const char *
ow_item_get_process (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->process;
}

void
ow_item_set_process (OwItem     *self,
                     const char *text)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->process, text);
}

const char *
ow_item_get_quantity_limit (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->quantity_limit;
}

void
ow_item_set_quantity_limit (OwItem     *self,
                            const char *text)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->quantity_limit, text);
}

const char *
ow_item_get_result_name (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->result_name;
}

const char *
ow_item_get_result_sample (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->result_sample;
}

void
ow_item_set_result (OwItem     *self,
                    const char *name,
                    const char *sample)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->result_name, name);
  SET_TEXT (self->result_sample, sample);
}

gboolean
ow_item_get_charged (OwItem *self)
{
  return_val_unless_complete (self, FALSE);
  return self->charged;
}

const char *
ow_item_get_fee_basis (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->fee_basis;
}

void
ow_item_set_fee (OwItem     *self,
                 gboolean    charged,
                 const char *basis)
{
  g_return_if_fail (OW_IS_ITEM (self));
  self->charged = !!charged;
  SET_TEXT (self->fee_basis, basis);
}

const char *
ow_item_get_place (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->place;
}

const char *
ow_item_get_hours (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->hours;
}

const char *
ow_item_get_phone (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->phone;
}

const char *
ow_item_get_supervision_phone (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return self->supervision_phone;
}

void
ow_item_set_contact (OwItem     *self,
                     const char *place,
                     const char *hours,
                     const char *phone,
                     const char *supervision_phone)
{
  g_return_if_fail (OW_IS_ITEM (self));
  SET_TEXT (self->place, place);
  SET_TEXT (self->hours, hours);
  SET_TEXT (self->phone, phone);
  SET_TEXT (self->supervision_phone, supervision_phone);
}

guint
ow_item_get_visits (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), 0);
  return self->visits;
}

void
ow_item_set_visits (OwItem *self,
                    guint   visits)
{
  g_return_if_fail (OW_IS_ITEM (self));
  self->visits = visits;
}

OwTargetFlags
ow_item_get_targets (OwItem *self)
{
  return_val_unless_complete (self, 0);
  return self->targets;
}

void
ow_item_set_targets (OwItem        *self,
                     OwTargetFlags  targets)
{
  g_return_if_fail (OW_IS_ITEM (self));
  self->targets = targets;
}

OwHandlingForms
ow_item_get_forms (OwItem *self)
{
  return_val_unless_complete (self, 0);
  return self->forms;
}

void
ow_item_set_forms (OwItem          *self,
                   OwHandlingForms  forms)
{
  g_return_if_fail (OW_IS_ITEM (self));
  self->forms = forms;
}

gboolean
ow_item_is_zero_trip (OwItem *self)
{
  g_return_val_if_fail (OW_IS_ITEM (self), FALSE);
  return self->visits == 0;
}

GListModel *
ow_item_get_materials (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return G_LIST_MODEL (self->materials);
}

void
ow_item_add_material (OwItem     *self,
                      OwMaterial *material)
{
  guint n;

  g_return_if_fail (OW_IS_ITEM (self));
  g_return_if_fail (OW_IS_MATERIAL (material));

  /* Material ids are unique within an item: a second one with the same id replaces the first
   * in its place, as a catalog update would. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->materials));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwMaterial) existing = g_list_model_get_item (G_LIST_MODEL (self->materials), i);

      if (g_str_equal (existing->id, material->id))
        {
          gpointer replacement[] = { material };

          g_list_store_splice (self->materials, i, 1, replacement, 1);
          return;
        }
    }

  g_list_store_append (self->materials, material);
}

OwMaterial *
ow_item_find_material (OwItem     *self,
                       const char *material_id)
{
  guint n;

  return_val_unless_complete (self, NULL);
  g_return_val_if_fail (material_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->materials));
  for (guint i = 0; i < n; i++)
    {
      OwMaterial *material = g_list_model_get_item (G_LIST_MODEL (self->materials), i);

      /* The store keeps its reference: returning a borrowed pointer is safe. */
      g_object_unref (material);
      if (g_str_equal (material->id, material_id))
        return material;
    }

  return NULL;
}

const char * const *
ow_item_get_faq (OwItem *self)
{
  return_val_unless_complete (self, NULL);
  return (const char * const *) self->faq;
}

void
ow_item_set_faq (OwItem             *self,
                 const char * const *pairs)
{
  g_return_if_fail (OW_IS_ITEM (self));
  g_return_if_fail (pairs == NULL || g_strv_length ((char **) pairs) % 2 == 0);

  g_strfreev (self->faq);
  self->faq = g_strdupv ((char **) (pairs != NULL ? pairs : empty_strv));
}
