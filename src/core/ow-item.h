/* ow-item.h — a service item (政务服务事项) and its required materials, after GB/T 39046-2020
 *
 * Copyright 2026 The OneWindow developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ow-types.h"

G_BEGIN_DECLS

/* 事项类型, with the standard's two-digit codes as values. */
typedef enum
{
  OW_ITEM_TYPE_LICENSING     = 1,  /* 01 行政许可 */
  OW_ITEM_TYPE_PENALTY       = 2,  /* 02 行政处罚 */
  OW_ITEM_TYPE_COERCION      = 3,  /* 03 行政强制 */
  OW_ITEM_TYPE_LEVY          = 4,  /* 04 行政征收 */
  OW_ITEM_TYPE_PAYMENT       = 5,  /* 05 行政给付 */
  OW_ITEM_TYPE_INSPECTION    = 6,  /* 06 行政检查 */
  OW_ITEM_TYPE_CONFIRMATION  = 7,  /* 07 行政确认 */
  OW_ITEM_TYPE_REWARD        = 8,  /* 08 行政奖励 */
  OW_ITEM_TYPE_ADJUDICATION  = 9,  /* 09 行政裁决 */
  OW_ITEM_TYPE_OTHER         = 10, /* 10 其他类别 */
  OW_ITEM_TYPE_PUBLIC_SERVICE = 20, /* 20 公共服务 */
} OwItemType;

/* 行使层级 */
typedef enum
{
  OW_ITEM_LEVEL_PROVINCE = 1,
  OW_ITEM_LEVEL_CITY,
  OW_ITEM_LEVEL_COUNTY,
  OW_ITEM_LEVEL_TOWNSHIP,
} OwItemLevel;

/* 服务对象, as flags: bit (code - 1). */
typedef enum
{
  OW_TARGET_PERSON        = 1 << 0, /* 1 自然人 */
  OW_TARGET_ENTERPRISE    = 1 << 1, /* 2 企业法人 */
  OW_TARGET_INSTITUTION   = 1 << 2, /* 3 事业法人 */
  OW_TARGET_SOCIAL_ORG    = 1 << 3, /* 4 社会组织法人 */
  OW_TARGET_ADMINISTRATIVE = 1 << 4, /* 5 行政机关 */
  OW_TARGET_OTHER_ORG     = 1 << 5, /* 6 其他组织 */
} OwTargetFlags;

/* 办理形式, as flags. */
typedef enum
{
  OW_FORM_WINDOW  = 1 << 0, /* 1 窗口办理 */
  OW_FORM_WEB     = 1 << 1, /* 2 电脑端网上办理 */
  OW_FORM_MOBILE  = 1 << 2, /* 3 移动端网上申请 */
  OW_FORM_POST    = 1 << 3, /* 4 快递申请 */
  OW_FORM_OTHER   = 1 << 8, /* 9 其他 */
} OwHandlingForms;

/* 材料形式 */
typedef enum
{
  OW_MATERIAL_FORM_PAPER = 1,
  OW_MATERIAL_FORM_ELECTRONIC,
  OW_MATERIAL_FORM_EITHER,
} OwMaterialForm;

/* 来源渠道: vendors code these differently, so the label is kept too. */
typedef enum
{
  OW_MATERIAL_SOURCE_APPLICANT = 1, /* 申请人自备 */
  OW_MATERIAL_SOURCE_GOVERNMENT,    /* 政府部门核发 */
  OW_MATERIAL_SOURCE_OTHER,         /* 其他 */
} OwMaterialSource;

const char *ow_item_type_to_code    (OwItemType type);        /* "01" … "20" */
gboolean    ow_item_type_from_code  (const char *code, OwItemType *type);
const char *ow_item_type_to_label   (OwItemType type);        /* "行政许可" …, untranslated data */
/* The reform's "6+1" types: licensing, confirmation, adjudication, reward, payment, other, public
 * service. */
gboolean    ow_item_type_is_reform  (OwItemType type);

/* ------------------------------------------------------------------------------------------ */

#define OW_TYPE_MATERIAL (ow_material_get_type ())
G_DECLARE_FINAL_TYPE (OwMaterial, ow_material, OW, MATERIAL, GObject)

OwMaterial      *ow_material_new               (const char      *id,
                                                const char      *name);
/* A copy the caller may change, every field alike; @id NULL keeps the material's own. */
OwMaterial      *ow_material_copy              (OwMaterial      *material,
                                                const char      *id);
const char      *ow_material_get_id            (OwMaterial      *self);
const char      *ow_material_get_name          (OwMaterial      *self);
const char      *ow_material_get_issuer        (OwMaterial      *self);
void             ow_material_set_issuer        (OwMaterial      *self, const char *issuer);
guint            ow_material_get_originals     (OwMaterial      *self);
guint            ow_material_get_copies        (OwMaterial      *self);
void             ow_material_set_counts        (OwMaterial      *self, guint originals, guint copies);
gboolean         ow_material_get_required      (OwMaterial      *self);
void             ow_material_set_required      (OwMaterial      *self, gboolean required);
OwMaterialForm   ow_material_get_form          (OwMaterial      *self);
void             ow_material_set_form          (OwMaterial      *self, OwMaterialForm form);
OwMaterialSource ow_material_get_source        (OwMaterial      *self);
const char      *ow_material_get_source_label  (OwMaterial      *self);
void             ow_material_set_source        (OwMaterial      *self,
                                                OwMaterialSource source,
                                                const char      *label);
/* Government-issued and shared between departments: not to be asked of the applicant (免提交). */
gboolean         ow_material_get_shared_exempt (OwMaterial      *self);
void             ow_material_set_shared_exempt (OwMaterial      *self, gboolean exempt);
/* An electronic licence can stand in for the paper one (电子证照). */
gboolean         ow_material_get_licence_exempt (OwMaterial     *self);
void             ow_material_set_licence_exempt (OwMaterial     *self, gboolean exempt);
/* The item allows accepting without it for now (容缺). */
gboolean         ow_material_get_tolerable     (OwMaterial      *self);
void             ow_material_set_tolerable     (OwMaterial      *self, gboolean tolerable);
const char      *ow_material_get_standard      (OwMaterial      *self); /* 受理标准 */
void             ow_material_set_standard      (OwMaterial      *self, const char *text);
const char      *ow_material_get_notes         (OwMaterial      *self); /* 填报须知 */
void             ow_material_set_notes         (OwMaterial      *self, const char *text);
const char      *ow_material_get_blank_form    (OwMaterial      *self); /* 空白表格 */
void             ow_material_set_blank_form    (OwMaterial      *self, const char *ref);
const char      *ow_material_get_sample        (OwMaterial      *self); /* 示例样表 */
void             ow_material_set_sample        (OwMaterial      *self, const char *ref);

/* ------------------------------------------------------------------------------------------ */

#define OW_TYPE_ITEM (ow_item_get_type ())
G_DECLARE_FINAL_TYPE (OwItem, ow_item, OW, ITEM, GObject)

/* @id is the implementation code (实施编码, ≤ 24 characters), which names an item uniquely. */
OwItem          *ow_item_new                   (const char      *id,
                                                const char      *name);
/* An item as a catalog lists it without loading it (ow_catalog_get_items()): id, name, basic
 * code, aliases, type, level, department name, limits and visits, what lists and the search
 * show. Asking it for anything else (materials, conditions, contact …) is a programming error
 * (a critical): load the item first (ow_catalog_load_items_async()). */
OwItem          *ow_item_new_summary           (const char      *id,
                                                const char      *name);
/* FALSE for a summary. */
gboolean         ow_item_is_complete           (OwItem          *self);
const char      *ow_item_get_id                (OwItem          *self);
const char      *ow_item_get_name              (OwItem          *self);
const char      *ow_item_get_basic_code        (OwItem          *self); /* 基本编码, ≤ 10 */
void             ow_item_set_basic_code        (OwItem          *self, const char *code);
const char * const *ow_item_get_aliases        (OwItem          *self); /* 常用称呼 */
void             ow_item_set_aliases           (OwItem          *self, const char * const *aliases);
OwItemType       ow_item_get_item_type         (OwItem          *self);
void             ow_item_set_item_type         (OwItem          *self, OwItemType type);
OwItemLevel      ow_item_get_level             (OwItem          *self);
void             ow_item_set_level             (OwItem          *self, OwItemLevel level);
const char      *ow_item_get_department        (OwItem          *self); /* 实施主体 */
const char      *ow_item_get_department_code   (OwItem          *self); /* its credit code */
void             ow_item_set_department        (OwItem          *self,
                                                const char      *name,
                                                const char      *credit_code);
/* Time limits in working days; 0 promised days makes the item 即办件 (done on the spot). */
guint            ow_item_get_legal_limit       (OwItem          *self);
guint            ow_item_get_promised_limit    (OwItem          *self);
void             ow_item_set_limits            (OwItem          *self, guint legal, guint promised);
gboolean         ow_item_is_immediate          (OwItem          *self);
const char      *ow_item_get_conditions        (OwItem          *self); /* 受理条件 */
void             ow_item_set_conditions        (OwItem          *self, const char *text);
const char      *ow_item_get_process           (OwItem          *self); /* 办理流程 */
void             ow_item_set_process           (OwItem          *self, const char *text);
const char      *ow_item_get_quantity_limit    (OwItem          *self); /* 数量限制 */
void             ow_item_set_quantity_limit    (OwItem          *self, const char *text);
const char      *ow_item_get_result_name       (OwItem          *self); /* 结果名称 */
const char      *ow_item_get_result_sample     (OwItem          *self); /* 结果样本 */
void             ow_item_set_result            (OwItem          *self,
                                                const char      *name,
                                                const char      *sample);
gboolean         ow_item_get_charged           (OwItem          *self); /* 是否收费 */
const char      *ow_item_get_fee_basis         (OwItem          *self); /* 收费依据 (and amount) */
void             ow_item_set_fee               (OwItem          *self,
                                                gboolean         charged,
                                                const char      *basis);
const char      *ow_item_get_place             (OwItem          *self);
const char      *ow_item_get_hours             (OwItem          *self);
const char      *ow_item_get_phone             (OwItem          *self); /* 咨询电话 */
const char      *ow_item_get_supervision_phone (OwItem          *self); /* 监督电话 */
void             ow_item_set_contact           (OwItem          *self,
                                                const char      *place,
                                                const char      *hours,
                                                const char      *phone,
                                                const char      *supervision_phone);
guint            ow_item_get_visits            (OwItem          *self); /* 到办事现场次数 */
void             ow_item_set_visits            (OwItem          *self, guint visits);
OwTargetFlags    ow_item_get_targets           (OwItem          *self);
void             ow_item_set_targets           (OwItem          *self, OwTargetFlags targets);
OwHandlingForms  ow_item_get_forms             (OwItem          *self);
void             ow_item_set_forms             (OwItem          *self, OwHandlingForms forms);
/* Zero trips: the applicant never has to come (visits = 0). */
gboolean         ow_item_is_zero_trip          (OwItem          *self);
/* The materials, in the order they are asked for: a list of OwMaterial. */
GListModel      *ow_item_get_materials         (OwItem          *self);
void             ow_item_add_material          (OwItem          *self, OwMaterial *material);
OwMaterial      *ow_item_find_material         (OwItem          *self, const char *material_id);
/* Frequently asked questions, as pairs: question, answer, question, answer … */
const char * const *ow_item_get_faq            (OwItem          *self);
void             ow_item_set_faq               (OwItem          *self, const char * const *pairs);

G_END_DECLS
