/* domain.c — the vocabularies of the guideline, code and Chinese label. */
#include "domain.h"

#include <stdio.h>
#include <string.h>

#define VOCAB(var, nm, tbl, col, ...)                                        \
    static const sws_term var##_terms[] = {__VA_ARGS__};                     \
    const sws_vocab var = {nm, tbl, col, var##_terms,                        \
                           sizeof var##_terms / sizeof var##_terms[0]}

VOCAB(sws_room_kinds, "room kind", "station_room", "kind",
      {"social_work", "社工室"}, {"case", "个案室"}, {"group_activity", "小组活动室"},
      {"multi_function", "多功能室"}, {"archive", "档案室"}, {"reception", "综合接待区"},
      {"display", "展示区"}, {"office", "办公区"});

VOCAB(sws_facility_kinds, "facility kind", "station_facility", "kind",
      {"service_window", "服务窗口"}, {"wall_posting", "制度上墙"},
      {"public_toilet", "公共卫生间"}, {"complaint_box", "意见箱"}, {"hotline", "服务热线"},
      {"fire_safety", "消防设施"}, {"anti_theft", "防盗设施"}, {"escape_route", "逃生设施"},
      {"anti_slip_sign", "防滑标识"}, {"liability_insurance", "公众责任险"},
      {"safety_check", "定期安全检查"}, {"desk", "办公桌椅"}, {"computer", "电脑"},
      {"printer", "打印机"}, {"file_cabinet", "档案柜"}, {"sign_indoor", "室内标牌"},
      {"sign_outdoor", "室外标牌"}, {"direction_sign", "指引标识"},
      {"uniform", "统一服装"}, {"badge", "工作证"});

VOCAB(sws_institution_kinds, "institution kind", "station_institution", "kind",
      {"org_chart", "组织架构及职责"}, {"operating_procedure", "运行流程"},
      {"post_rules", "岗位制度"}, {"finance_rules", "财务制度"},
      {"training_rules", "培训制度"}, {"volunteer_rules", "志愿者管理制度"},
      {"archive_rules", "服务档案管理制度"}, {"asset_rules", "资产管理制度"},
      {"volunteer_db", "志愿者数据库"}, {"client_db", "服务对象数据库"});

VOCAB(sws_worker_roles, "worker role", "worker", "role",
      {"resident", "驻站社工"}, {"room", "社区社工室社工"}, {"assistant", "社工助理"},
      {"mentor", "远程督导社工"});

VOCAB(sws_qualifications, "qualification", "worker", "qualification",
      {"none", "无"}, {"sw_degree", "社会工作专业学历"}, {"related_degree", "相关专业学历"},
      {"assistant_social_worker", "助理社会工作师"}, {"social_worker", "社会工作师"},
      {"senior_social_worker", "高级社会工作师"});

VOCAB(sws_hiring_routes, "hiring route", "worker", "hired_via",
      {"direct", "直接聘用"}, {"introduction", "引进"}, {"cultivation", "培育"},
      {"secondment", "调配"});

VOCAB(sws_engagement_routes, "engagement route", "worker", "engaged_by",
      {"agency", "承接机构聘用"}, {"township", "乡镇(街道)聘用"});

VOCAB(sws_client_categories, "client category", "client", "category",
      {"subsistence", "低保对象"}, {"extreme_poverty", "特困供养人员"},
      {"low_income", "低保边缘"}, {"medical_aid", "医疗救助对象"},
      {"temporary_aid", "临时救助对象"}, {"child", "困境儿童"},
      {"left_behind_child", "留守儿童"}, {"elderly", "老年人"}, {"disabled", "残疾人"},
      {"migrant", "流动人口"}, {"community_correction", "社区矫正对象"},
      {"disaster", "受灾群众"}, {"other", "其他"});

VOCAB(sws_consent_states, "consent status", "client", "consent",
      {"none", "未同意"}, {"oral", "口头同意"}, {"written", "书面同意"},
      {"guardian", "监护人同意"}, {"expired", "同意已过期"});

VOCAB(sws_service_domains, "service domain", "service_record", "domain",
      {"party_building", "党建引领"}, {"social_assistance", "社会救助"},
      {"child_protection", "儿童关爱保护"}, {"elderly_care", "养老服务"},
      {"emergency", "灾害及公共卫生事件应对"}, {"migrant", "流动人口服务"},
      {"community_correction", "社区矫正"}, {"civil_affairs", "其他民政服务"},
      {"community_governance", "基层治理"}, {"volunteer", "志愿服务"},
      {"charity", "慈善资源链接"}, {"org_cultivation", "社区社会组织培育"});

VOCAB(sws_service_methods, "service method", "service_record", "method",
      {"case", "个案"}, {"group", "小组"}, {"community", "社区活动"});

VOCAB(sws_funding_categories, "funding category", "funding", "category",
      {"construction", "建设经费"}, {"operation", "运营经费"}, {"personnel", "人员经费"},
      {"evaluation", "评估经费"});

VOCAB(sws_funding_sources, "funding source", "funding", "source",
      {"welfare_lottery", "福彩公益金"}, {"city_budget", "市级财政"},
      {"county_budget", "县级财政"}, {"township_budget", "乡镇财政"},
      {"charity", "慈善资金"}, {"other", "其他"});

VOCAB(sws_eval_phases, "evaluation phase", "evaluation", "phase",
      {"mid", "中期"}, {"final", "终期"});

VOCAB(sws_assessors, "assessor", "evaluation", "assessor",
      {"self", "自评"}, {"government", "政府评估"}, {"third_party", "第三方评估"});

VOCAB(sws_org_kinds, "organisation kind", "community_org", "kind",
      {"service", "生活服务类"}, {"charity", "公益慈善类"}, {"culture", "文体活动类"},
      {"affairs", "专业调处类"}, {"other", "其他"});

VOCAB(sws_charity_kinds, "charity resource kind", "charity_resource", "kind",
      {"fund", "资金"}, {"goods", "物资"}, {"venue", "场地"}, {"service", "服务"},
      {"project", "项目"});

const sws_vocab *const sws_vocabularies[] = {
    &sws_room_kinds, &sws_facility_kinds, &sws_institution_kinds, &sws_worker_roles,
    &sws_qualifications, &sws_hiring_routes, &sws_client_categories,
    &sws_service_domains, &sws_service_methods, &sws_funding_categories,
    &sws_funding_sources, &sws_eval_phases, &sws_assessors, &sws_org_kinds,
    &sws_charity_kinds, &sws_consent_states, &sws_engagement_routes, NULL,
};

const sws_term *sws_vocab_find(const sws_vocab *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->terms[i].code, s) == 0 || strcmp(v->terms[i].label, s) == 0)
            return &v->terms[i];
    return NULL;
}

char *sws_vocab_list(const sws_vocab *v, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->n && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", v->terms[i].code);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}
