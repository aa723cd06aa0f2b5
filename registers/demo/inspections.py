"""Demo data: the 2017 random-inspection list, target pools, officers and published draws.

The list is generated from ``ITEMS_2017`` below, one line per item:
``unit|kind|item|sub-items|legal basis|check points`` where kind is 行 (行政检查事项) or 他
(其他有法律依据的检查事项), sub-items and check points are separated by "；", and every
sub-item becomes one item of the list (an item without sub-items is one item). The 2017
report's figures (208 = 187 + 21) are what these records count to; no total is typed here.

Idempotent: everything is looked up by natural key and only written when it differs; a draw
that exists is never drawn again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from registers.core.status import Status
from registers.creditcode import make_credit_code, organisation_code_check_character
from registers.inspection_services import make_draw
from registers.models import (
    BodyKind,
    CheckPoint,
    Conflict,
    DrawnTarget,
    EnforcementBody,
    EnforcementField,
    InspectionDraw,
    InspectionItem,
    InspectionKind,
    InspectionTarget,
    Officer,
    ResultKind,
    Unit,
    User,
)

from .units import office_user
from .writes import upsert, upsert_approved

YEAR = 2017
LIST_PUBLISHED_ON = datetime.date(2017, 7, 18)
SHANGHAI = ZoneInfo("Asia/Shanghai")
APPROVED_AT = datetime.datetime(2017, 7, 18, 10, 0, tzinfo=SHANGHAI)
DIVISION = "421202"  # 咸宁市咸安区

KINDS = {"行": InspectionKind.ADMINISTRATIVE, "他": InspectionKind.OTHER}

F = EnforcementField
# unit code -> (field, method, ratio %, frequency)
UNIT_SETTINGS = {
    "V01": (F.MARKET, "书面检查、实地核查、网络监测", "5", "每年不少于1次"),
    "V02": (F.TAX, "书面检查、实地核查", "3", "每年1次"),
    "D22": (F.FOOD_DRUG, "现场检查、抽样检验", "5", "每年不少于1次"),
    "D21": (F.WORK_SAFETY, "现场检查、查阅资料", "5", "每年不少于1次"),
    "D10": (F.ENVIRONMENT, "现场检查、监测", "5", "每季度1次"),
    "D11": (F.HOUSING_CONSTRUCTION, "现场检查、查阅资料", "10", "每年不少于2次"),
    "D27": (F.REAL_ESTATE, "书面检查、现场检查", "5", "每年1次"),
    "D12": (F.TRANSPORT, "现场检查、查阅资料", "5", "每年1次"),
    "D34": (F.TRANSPORT, "现场检查、查阅资料", "5", "每年1次"),
    "D33": (F.ROAD, "路面巡查、现场检查", "5", "每半年1次"),
    "D37": (F.WATERWAY, "现场检查", "10", "每年1次"),
    "D18": (F.HEALTH, "现场检查、查阅资料", "5", "每年1次"),
    "D35": (F.HEALTH, "现场检查、抽样检测", "5", "每年不少于1次"),
    "D09": (F.LABOUR, "书面审查、实地检查", "5", "每年1次"),
    "D14": (F.AGRICULTURE, "现场检查、抽样检测", "5", "每年不少于1次"),
    "D26": (F.ANIMAL_HUSBANDRY, "现场检查、抽样检测", "5", "每年1次"),
    "D31": (F.FISHERY, "现场检查、抽样检测", "5", "每年1次"),
    "D32": (F.AGRICULTURAL_MACHINERY, "现场检查", "5", "每年1次"),
    "D15": (F.FORESTRY, "现场检查、查阅台账", "5", "每年1次"),
    "D13": (F.WATER, "现场检查", "5", "每年1次"),
    "D17": (F.CULTURE, "现场检查", "5", "每年1次"),
    "D36": (F.CULTURE, "现场检查", "10", "每年不少于2次"),
    "D03": (F.EDUCATION, "现场检查、查阅资料", "10", "每年1次"),
    "D05": (F.PUBLIC_SECURITY, "现场检查", "5", "每年不少于1次"),
    "D06": (F.CIVIL_AFFAIRS, "书面检查、实地核查", "5", "每年1次"),
    "D16": (F.COMMERCE, "现场检查、查阅台账", "5", "每年1次"),
    "D24": (F.PRICE, "现场检查", "5", "每年1次"),
    "D25": (F.GRAIN, "现场检查、查阅账目", "5", "每年1次"),
    "D28": (F.TOURISM, "现场检查", "5", "每年1次"),
    "D20": (F.STATISTICS, "查阅统计资料、实地核查", "3", "每年1次"),
    "D23": (F.URBAN, "巡查、现场检查", "10", "每季度1次"),
    "D30": (F.CIVIL_AIR_DEFENCE, "现场检查", "10", "每年1次"),
    "D29": (F.RELIGION, "现场检查", "10", "每年1次"),
    "D38": (F.ARCHIVES, "查阅档案、现场检查", "5", "每年1次"),
    "D02": (F.ECONOMY, "书面检查、现场检查", "5", "每年1次"),
}

ITEMS_2017 = """
V01|行|企业公示信息的检查|企业年度报告公示信息；企业即时公示信息|《企业信息公示暂行条例》第十四条|年度报告是否按时报送并公示；公示的资产、股东出资等信息是否真实；即时信息是否在20个工作日内公示
V01|行|个体工商户年度报告公示信息的检查||《个体工商户条例》第十四条；《企业信息公示暂行条例》第二十二条|年度报告是否按时报送；经营场所、从业人数等信息是否真实
V01|行|农民专业合作社年度报告公示信息的检查||《农民专业合作社年度报告公示暂行办法》第八条|年度报告是否按时报送；成员出资和经营信息是否真实
V01|行|企业登记事项的检查|住所（经营场所）；注册资本实缴情况；法定代表人（负责人）任职情况|《中华人民共和国公司登记管理条例》第五十六条；《企业信息公示暂行条例》第十四条|实际住所是否与登记一致；实缴出资是否与公示一致；法定代表人是否符合任职规定
V01|行|广告发布行为的检查|广告发布登记事项；户外广告；医疗药品保健食品广告|《中华人民共和国广告法》第四十九条|广告内容是否真实合法；是否依法取得广告发布登记；是否有广告审查批准文号
V01|行|合同格式条款的检查||《合同违法行为监督处理办法》第十五条|格式条款是否排除对方主要权利；是否加重对方责任
V01|行|商标使用行为的检查|注册商标使用；商标印制|《中华人民共和国商标法》第六十二条|是否存在侵犯注册商标专用权行为；商标印制是否核查商标注册证
V01|行|直销企业及直销员经营行为的检查||《直销管理条例》第三十五条|直销员是否持证上岗；是否超范围推销产品
V01|行|网络交易经营者的检查||《网络交易管理办法》第四十七条|网店是否亮照经营；商品信息是否真实
V01|行|流通领域商品质量的检查|农资商品；儿童用品；建材商品|《中华人民共和国产品质量法》第十八条；《流通领域商品质量监督管理办法》第十八条|进货查验记录是否完整；是否销售不合格或假冒伪劣商品
V01|行|拍卖企业经营行为的检查||《拍卖监督管理办法》第十二条|拍卖活动是否依法备案；是否有违法拍卖行为
V01|行|消费者权益保护情况的检查||《中华人民共和国消费者权益保护法》第三十三条|商品和服务是否符合保障人身财产安全要求；是否依法履行三包义务
V01|行|不正当竞争行为的检查||《中华人民共和国反不正当竞争法》第十六条|是否存在虚假宣传；是否存在商业贿赂
V01|他|企业名称使用情况的核查||《企业名称登记管理规定》第二十六条|实际使用名称是否与登记一致
V01|他|动产抵押登记情况的核查||《动产抵押登记办法》第十二条|抵押物是否与登记一致
V02|行|纳税人申报纳税情况的检查|营业税改征增值税后续征收；个人所得税代扣代缴；房产税和城镇土地使用税|《中华人民共和国税收征收管理法》第五十四条|申报是否真实完整；代扣代缴是否及时足额；应税房产和土地面积是否如实申报
V02|行|发票使用和管理情况的检查|普通发票领用存；发票开具|《中华人民共和国发票管理办法》第三十条|发票是否按规定领用保管；是否存在虚开发票
V02|行|税收优惠政策执行情况的检查||《中华人民共和国税收征收管理法》第五十四条；《税收减免管理办法》第二十一条|享受减免税条件是否持续符合；减免税备案资料是否完整
V02|行|账簿凭证设置和保管情况的检查||《中华人民共和国税收征收管理法》第十九条、第五十四条|是否按规定设置账簿；记账凭证是否保存完整
V02|行|扣缴义务人履行扣缴义务情况的检查||《中华人民共和国税收征收管理法》第五十四条|是否按规定设立代扣代缴账簿；是否及时解缴税款
V02|他|社会保险费缴纳情况的核查||《社会保险费征缴暂行条例》第十六条|缴费基数是否如实申报；缴费人数是否与用工人数一致
V02|他|非税收入征缴情况的核查||《湖北省非税收入管理条例》第二十五条|代征的非税收入是否足额入库
V02|他|跨区域涉税事项报验情况的核查||《中华人民共和国税收征收管理法实施细则》第二十一条|外出经营是否报验登记；经营结束是否及时核销
D22|行|食品生产企业的检查|生产许可条件；原料进货查验；出厂检验|《中华人民共和国食品安全法》第一百一十条|生产条件是否持续符合许可要求；原料进货查验记录是否完整；是否按规定出厂检验
D22|行|食品销售者的检查|食品经营许可；进货查验和记录；临近保质期食品管理|《中华人民共和国食品安全法》第一百一十条|是否持证经营；进货查验记录是否完整；过期食品是否及时清理
D22|行|餐饮服务提供者的检查|学校食堂；农村集体聚餐；餐饮具消毒|《中华人民共和国食品安全法》第一百一十条；《餐饮服务食品安全监督管理办法》第二十九条|从业人员是否持健康证明；原料采购索证索票；餐饮具是否清洗消毒
D22|行|保健食品经营者的检查||《中华人民共和国食品安全法》第一百一十条；《保健食品注册与备案管理办法》第六十五条|产品是否有注册或备案凭证；是否虚假宣传功效
D22|行|药品零售企业的检查|药品经营质量管理规范执行情况；处方药销售|《中华人民共和国药品管理法》第六十四条|执业药师是否在岗；处方药是否凭处方销售；药品储存条件是否符合要求
D22|行|医疗机构药品使用质量的检查||《中华人民共和国药品管理法》第六十四条；《药品流通监督管理办法》第二十六条|药品购进渠道是否合法；药品储存养护是否规范
D22|行|医疗器械经营企业的检查||《医疗器械监督管理条例》第五十三条|是否取得经营许可或备案；进货查验记录是否完整
D22|行|医疗器械使用单位的检查||《医疗器械监督管理条例》第五十三条；《医疗器械使用质量监督管理办法》第二十四条|医疗器械购进是否查验合格证明；维护保养记录是否完整
D22|行|化妆品经营者的检查||《化妆品卫生监督条例》第二十二条|是否销售无批准文号的特殊用途化妆品；进货查验是否落实
D22|他|食品安全风险分级管理情况的核查||《食品生产经营风险分级管理办法（试行）》第二十一条|自查报告是否按时提交；风险等级是否动态调整
D22|他|药品不良反应报告情况的核查||《药品不良反应报告和监测管理办法》第五十二条|是否建立不良反应报告制度；是否按时上报
D21|行|生产经营单位安全生产条件的检查|安全生产责任制；安全生产教育培训；事故隐患排查治理|《中华人民共和国安全生产法》第六十二条|安全生产责任制是否健全；从业人员是否经培训合格；隐患排查治理台账是否完整
D21|行|危险化学品经营单位的检查||《危险化学品安全管理条例》第六条；《危险化学品经营许可证管理办法》第二十八条|是否持证经营；储存场所是否符合安全要求
D21|行|烟花爆竹经营单位的检查||《烟花爆竹安全管理条例》第四条|是否持证经营；储存量是否超过核定限量
D21|行|非煤矿山企业的检查||《中华人民共和国安全生产法》第六十二条；《非煤矿矿山企业安全生产许可证实施办法》第四十条|安全生产许可证是否有效；边坡和排土场是否稳定
D21|行|工贸企业有限空间作业的检查||《工贸企业有限空间作业安全管理与监督暂行规定》第二十五条|是否建立有限空间作业审批制度；作业前是否检测
D21|行|用人单位职业病危害防治的检查||《中华人民共和国职业病防治法》第六十二条|职业病危害项目是否申报；劳动者是否进行职业健康检查
D21|他|安全生产应急预案备案情况的核查||《生产安全事故应急预案管理办法》第三十一条|应急预案是否备案；是否定期组织演练
D10|行|排污单位污染物排放情况的检查|废水排放；废气排放；噪声排放|《中华人民共和国环境保护法》第二十四条；《中华人民共和国水污染防治法》第二十七条；《中华人民共和国大气污染防治法》第二十九条|污染防治设施是否正常运行；排放是否达标；是否按规定自行监测
D10|行|建设项目环境保护“三同时”执行情况的检查||《建设项目环境保护管理条例》第二十条|环评文件是否依法审批；环保设施是否与主体工程同时投产使用
D10|行|危险废物产生和经营单位的检查||《中华人民共和国固体废物污染环境防治法》第十五条|是否按规定贮存危险废物；转移是否执行联单制度
D10|行|重点排污单位环境信息公开情况的检查||《企业事业单位环境信息公开办法》第九条|是否公开排放信息；公开内容是否真实
D10|行|放射源使用单位的检查||《放射性同位素与射线装置安全和防护条例》第四十七条|是否持有辐射安全许可证；放射源台账是否清楚
D10|行|畜禽规模养殖场污染防治的检查||《畜禽规模养殖污染防治条例》第八条|粪污处理设施是否配套建设；是否直接排放
D10|他|排污费缴纳情况的核查||《排污费征收使用管理条例》第十四条|是否按核定数额足额缴纳
D11|行|建设工程质量的检查|地基基础和主体结构；建筑材料使用|《建设工程质量管理条例》第四十七条|是否按图施工；建筑材料是否进场检验
D11|行|建筑施工安全生产的检查|施工现场安全防护；起重机械安全管理；深基坑高支模|《建设工程安全生产管理条例》第四十三条|施工单位是否持安全生产许可证；专项施工方案是否论证；安全防护是否到位
D11|行|建筑业企业资质和人员执业的检查||《建筑业企业资质管理规定》第二十二条|是否超越资质承揽工程；项目负责人是否在岗
D11|行|建设工程招标投标活动的检查||《中华人民共和国招标投标法实施条例》第四条|是否依法招标；是否存在转包违法分包
D11|行|建设工程施工许可执行情况的检查||《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》第十二条|是否取得施工许可证后开工
D11|他|城市建设档案报送情况的核查||《城市建设档案管理规定》第六条|竣工档案是否按期报送
D27|行|房地产开发企业经营行为的检查|开发资质；商品房预售|《城市房地产开发经营管理条例》第五条；《城市商品房预售管理办法》第十三条|是否具备相应资质；预售是否取得许可
D27|行|物业服务企业的检查||《物业管理条例》第五条|是否按合同提供服务；公共收益是否公开
D27|行|房地产经纪机构的检查||《房地产经纪管理办法》第三十一条|是否备案；是否公示收费标准
D12|行|交通建设工程质量安全的检查|公路建设工程；水运建设工程|《公路水运工程质量监督管理规定》第二十条；《公路水运工程安全生产监督管理办法》第三十六条|质量保证体系是否健全；安全防护是否到位
D12|行|城市公共交通经营者的检查||《湖北省城市公共交通条例》第四十三条|是否按核定线路运营；车辆技术状况是否良好
D12|行|出租汽车经营者的检查||《巡游出租汽车经营服务管理规定》第四十三条|车辆是否取得道路运输证；驾驶员是否取得从业资格
D34|行|道路旅客运输经营者的检查|客运班线；旅游包车|《中华人民共和国道路运输条例》第五十八条|是否按许可线路运营；驾驶员是否持证；车辆是否按时检测
D34|行|道路货物运输经营者的检查|普通货运；危险货物运输|《中华人民共和国道路运输条例》第五十八条；《道路危险货物运输管理规定》第五十一条|车辆是否取得营运证；危险货物运输是否配备押运人员
D34|行|机动车维修经营者的检查||《中华人民共和国道路运输条例》第五十八条；《机动车维修管理规定》第四十四条|是否备案经营；是否使用假冒伪劣配件
D34|行|机动车驾驶员培训机构的检查||《机动车驾驶员培训管理规定》第四十九条|教练员是否具备资格；培训学时是否落实
D33|行|公路及公路用地保护的检查|公路建筑控制区；超限运输车辆|《中华人民共和国公路法》第七十一条；《公路安全保护条例》第五十九条|是否在建筑控制区内违法建设；是否违法超限运输
D33|行|涉路施工活动的检查||《公路安全保护条例》第二十七条|涉路施工是否经许可；是否按许可方案施工
D37|行|船舶及船员的检查|渡口渡船；船员适任|《中华人民共和国内河交通安全管理条例》第五十六条|船舶是否持有效证书；船员是否持证上岗；是否超载
D37|行|水上水下施工作业的检查||《中华人民共和国内河交通安全管理条例》第二十五条|施工作业是否经许可；是否设置警示标志
D18|行|医疗机构执业情况的检查|执业许可；医疗技术临床应用|《医疗机构管理条例》第四十条|是否超范围执业；医疗技术是否依法备案
D18|行|计划生育技术服务机构的检查||《计划生育技术服务管理条例》第三十四条|是否取得执业许可；是否非法进行胎儿性别鉴定
D18|他|基本公共卫生服务项目实施情况的核查||《湖北省基本公共卫生服务项目管理办法》第二十条|服务项目是否按规范开展；健康档案是否真实
D18|他|计划生育奖励扶助资金发放情况的核查||《湖北省人口与计划生育条例》第四十条|资金是否足额发放；对象资格是否符合
D35|行|公共场所卫生的检查|住宿场所；沐浴场所；美容美发场所|《公共场所卫生管理条例》第十条；《公共场所卫生管理条例实施细则》第三十一条|是否取得卫生许可证；从业人员是否持健康合格证明；是否按规定消毒
D35|行|生活饮用水卫生的检查|集中式供水单位；二次供水单位|《生活饮用水卫生监督管理办法》第十六条|是否取得卫生许可；水质是否定期检测
D35|行|学校卫生的检查||《学校卫生工作条例》第二十八条|教学环境是否符合卫生标准；传染病防控制度是否落实
D35|行|传染病防治的检查||《中华人民共和国传染病防治法》第五十三条|疫情是否按规定报告；医疗废物是否规范处置
D35|行|放射诊疗的检查||《放射诊疗管理规定》第三十四条|是否取得放射诊疗许可；工作人员是否进行个人剂量监测
D35|行|医疗卫生机构消毒管理的检查||《消毒管理办法》第三十七条|消毒隔离制度是否落实；消毒产品是否合法
D09|行|用人单位遵守劳动保障法律法规情况的检查|劳动合同订立；工资支付；工作时间和休息休假|《劳动保障监察条例》第十一条、第十五条；《中华人民共和国劳动合同法》第七十四条|是否依法订立书面劳动合同；是否按时足额支付工资；是否违法延长工作时间
D09|行|用人单位参加社会保险情况的检查||《中华人民共和国社会保险法》第七十九条|是否为全部职工参保；缴费基数是否如实申报
D09|行|禁止使用童工情况的检查||《禁止使用童工规定》第五条|是否招用未满16周岁的未成年人
D09|行|职业中介机构的检查||《中华人民共和国就业促进法》第四十条；《就业服务与就业管理规定》第六十三条|是否取得许可；是否发布虚假招聘信息
D09|行|劳务派遣单位的检查||《劳务派遣行政许可实施办法》第二十一条|是否取得经营许可；被派遣劳动者是否同工同酬
D09|行|建设领域农民工工资支付的检查||《中华人民共和国劳动法》第八十五条；《建设领域农民工工资支付管理暂行办法》第十四条|是否按月足额支付；工资保证金是否缴存
D09|他|社会保险待遇领取资格的核查||《中华人民共和国社会保险法》第七十九条|领取人员是否符合条件；是否存在冒领
D09|他|职业技能培训补贴使用情况的核查||《就业补助资金管理办法》第二十一条|培训是否真实开展；补贴是否按规定使用
D14|行|农产品质量安全的检查|农产品生产企业和合作社；农产品收购储运|《中华人民共和国农产品质量安全法》第三十九条|是否建立生产记录；是否使用禁用农药
D14|行|农药经营单位的检查||《农药管理条例》第四十一条|是否取得经营许可；是否销售禁用农药；台账是否完整
D14|行|种子生产经营者的检查||《中华人民共和国种子法》第五十条|是否持证生产经营；种子标签是否规范
D14|行|肥料经营单位的检查||《肥料登记管理办法》第二十七条|产品是否登记；标签标识是否规范
D14|行|农作物病虫害防治服务组织的检查||《湖北省植物保护条例》第二十八条|防治作业是否规范；是否使用合法农药
D14|他|农业项目资金使用情况的核查||《湖北省农业项目资金管理办法》第二十二条|资金是否专款专用；项目是否按计划实施
D26|行|兽药经营企业的检查||《兽药管理条例》第四十五条|是否取得经营许可证；是否销售假劣兽药
D26|行|饲料和饲料添加剂生产经营企业的检查||《饲料和饲料添加剂管理条例》第三十四条|产品是否符合标准；进货查验记录是否完整
D26|行|动物防疫条件的检查|畜禽养殖场；屠宰加工场所|《中华人民共和国动物防疫法》第五十九条|是否取得动物防疫条件合格证；免疫档案是否完整
D26|行|生猪定点屠宰厂（场）的检查||《生猪屠宰管理条例》第二十一条|是否持证屠宰；肉品品质检验是否落实
D31|行|水产品质量安全的检查|水产养殖用药；水产苗种生产|《中华人民共和国渔业法》第六条；《水产养殖质量安全管理规定》第十七条；《水产苗种管理办法》第二十条|是否使用禁用药物；用药记录是否完整；苗种是否检疫
D31|行|渔业船舶的检查||《中华人民共和国渔业船舶检验条例》第三十条|渔船是否经检验合格；船员是否持证
D32|行|农业机械安全的检查|拖拉机和联合收割机；农机维修|《农业机械安全监督管理条例》第三十三条|是否登记并定期检验；驾驶操作人员是否持证
D32|行|农业机械试验鉴定和质量的检查||《中华人民共和国农业机械化促进法》第十一条|是否销售不合格农机产品
D15|行|木材经营加工的检查||《中华人民共和国森林法实施条例》第三十四条|木材来源是否合法；经营台账是否完整
D15|行|林木种苗生产经营的检查||《中华人民共和国种子法》第五十条|是否持证生产经营；种苗是否检验检疫
D15|行|陆生野生动物经营利用的检查||《中华人民共和国野生动物保护法》第七条、第二十七条|是否取得驯养繁殖许可；经营是否有合法来源证明
D15|行|植物检疫的检查||《植物检疫条例》第七条|调运是否办理检疫证书
D15|行|林地使用情况的检查||《中华人民共和国森林法实施条例》第十六条|是否经批准占用林地；是否超范围使用
D15|他|森林防火责任落实情况的核查||《森林防火条例》第二十五条|防火责任制是否落实；防火设施是否完好
D13|行|取用水单位的检查||《取水许可和水资源费征收管理条例》第四十六条；《中华人民共和国水法》第六十条|是否取得取水许可；是否安装计量设施
D13|行|河道管理范围内建设项目的检查||《中华人民共和国河道管理条例》第十一条|是否经批准建设；是否按批准方案施工
D13|行|河道采砂的检查||《湖北省河道采砂管理条例》第二十六条|是否持证采砂；是否在规定区域和时间作业
D13|行|生产建设项目水土保持的检查||《中华人民共和国水土保持法》第四十四条|水土保持方案是否编报；防治措施是否落实
D13|行|水库和水利工程安全的检查||《水库大坝安全管理条例》第五条|安全管理责任是否落实；是否违规开展危害大坝安全的活动
D13|他|水利工程质量监督备案情况的核查||《水利工程质量管理规定》第八条|是否办理质量监督手续
D17|行|公共文化体育设施管理单位的检查||《公共文化体育设施条例》第二十三条|是否按规定开放；安全管理制度是否落实
D17|行|卫星电视广播地面接收设施的检查||《卫星电视广播地面接收设施管理规定》第十条|安装设施是否经许可
D17|行|经营高危险性体育项目的检查||《全民健身条例》第三十三条；《经营高危险性体育项目许可管理办法》第二十五条|是否取得许可；社会体育指导人员是否持证
D17|行|文物保护单位安全的检查||《中华人民共和国文物保护法》第八条|文物安全责任是否落实；是否擅自修缮改建
D36|行|娱乐场所经营活动的检查||《娱乐场所管理条例》第三十四条|是否取得娱乐经营许可；是否接纳未成年人
D36|行|互联网上网服务营业场所的检查||《互联网上网服务营业场所管理条例》第四条|是否接纳未成年人；是否落实实名登记
D36|行|出版物发行单位的检查||《出版管理条例》第四十九条|是否持证经营；是否销售非法出版物
D36|行|印刷企业的检查||《印刷业管理条例》第五条|是否落实承印验证制度；是否承印非法出版物
D36|行|营业性演出的检查||《营业性演出管理条例》第三十四条|演出是否经批准；演出内容是否合法
D03|行|民办学校办学行为的检查||《中华人民共和国民办教育促进法》第四十一条|是否按批准范围办学；收费是否公示
D03|行|校外培训机构的检查||《中华人民共和国民办教育促进法》第四十一条|是否取得办学许可；消防安全是否达标
D03|行|校车安全的检查||《校车安全管理条例》第五条|校车是否取得使用许可；驾驶人是否具备资格
D03|行|幼儿园办园行为的检查||《幼儿园管理条例》第二十三条|是否经审批办园；保教人员是否具备资格
D03|他|学生资助资金发放情况的核查||《学生资助资金管理办法》第五十条|资助对象是否符合条件；资金是否足额发放
D05|行|社会单位消防安全的检查|人员密集场所；易燃易爆单位|《中华人民共和国消防法》第五十三条|消防设施是否完好有效；疏散通道是否畅通
D05|行|旅馆业治安管理的检查||《旅馆业治安管理办法》第十三条|是否落实住宿登记制度；是否报送住宿信息
D05|行|保安服务公司的检查||《保安服务管理条例》第三十八条|保安员是否持证上岗；是否违规提供服务
D05|行|废旧金属收购业的检查||《废旧金属收购业治安管理办法》第十二条|是否如实登记收购物品；是否收购禁止收购的金属物品
D05|行|民用爆炸物品使用单位的检查||《民用爆炸物品安全管理条例》第四条|储存是否符合要求；领取发放是否登记
D06|行|社会团体的检查||《社会团体登记管理条例》第二十七条|是否按章程开展活动；年度报告是否按时报送
D06|行|民办非企业单位的检查||《民办非企业单位登记管理暂行条例》第十九条|是否按登记业务范围活动；财务管理是否规范
D06|行|养老机构的检查||《养老机构管理办法》第三十条|是否设立许可；消防和食品安全是否达标
D06|行|殡葬服务单位的检查||《殡葬管理条例》第六条|收费是否公示；是否违规销售超标准墓穴
D06|他|城乡低保对象资格的核查||《社会救助暂行办法》第十二条|家庭收入财产是否符合条件；是否按时复核
D16|行|单用途商业预付卡发卡企业的检查||《单用途商业预付卡管理办法（试行）》第三十四条|是否备案；预收资金是否按规定存管
D16|行|再生资源回收经营者的检查||《再生资源回收管理办法》第二十一条|是否备案；是否如实登记回收物品
D16|行|成品油经营企业的检查||《成品油市场管理办法》第三十六条|是否持证经营；油品进销存台账是否完整
D16|行|报废汽车回收拆解企业的检查||《报废汽车回收管理办法》第二十一条|是否具备资格；拆解“五大总成”是否按规定处理
D24|行|明码标价的检查|商品零售；收费服务|《中华人民共和国价格法》第三十四条；《关于商品和服务实行明码标价的规定》第二十条|是否按规定明码标价；是否价外加价
D24|行|政府定价收费项目执行情况的检查||《中华人民共和国价格法》第三十四条|是否执行政府定价；是否擅自设立收费项目
D24|他|涉企收费清单执行情况的核查||《中华人民共和国价格法》第三十四条；《行政事业性收费标准管理暂行办法》第二十六条|是否收取清单外费用
D25|行|粮食收购企业的检查||《粮食流通管理条例》第三十五条|是否备案；收购价格和质量是否公示
D25|行|粮食库存的检查||《粮食流通管理条例》第三十五条；《粮油仓储管理办法》第二十七条|账实是否相符；储存是否安全
D25|行|粮食质量安全的检查||《粮食质量安全监管办法》第三十四条|出入库质量是否检验；是否超标
D28|行|旅行社经营行为的检查||《中华人民共和国旅游法》第八十五条；《旅行社条例》第四十一条|是否签订旅游合同；导游是否持证
D28|行|A级旅游景区的检查||《中华人民共和国旅游法》第八十五条|安全设施是否完好；是否按规定公示票价
D28|行|星级饭店和农家乐的检查||《中华人民共和国旅游法》第八十五条|服务质量是否达标；安全制度是否落实
D20|行|统计调查对象统计数据质量的检查|规模以上工业企业；限额以上批发零售企业|《中华人民共和国统计法》第三十五条|统计台账是否完整；报送数据是否真实
D20|他|统计执法“双随机”抽查企业统计基础工作的核查||《全国统计执法监督检查规范》第十条|统计人员是否具备能力；原始记录是否健全
D23|行|城市市容和环境卫生的检查|门前三包；户外广告设施|《城市市容和环境卫生管理条例》第三十二条；《湖北省城市市容和环境卫生管理条例》第四条|是否落实门前三包责任；户外广告设施是否经审批
D23|行|建筑垃圾处置的检查||《城市建筑垃圾管理规定》第二十四条|是否取得处置核准；运输车辆是否密闭
D23|行|城镇排水与污水处理的检查||《城镇排水与污水处理条例》第四十三条|是否取得排水许可；是否违法排放
D23|行|城市绿化的检查||《城市绿化条例》第二十条|是否擅自占用城市绿地；是否擅自砍伐树木
D30|行|人防工程建设和维护管理的检查|结建人防工程；人防工程平时使用|《中华人民共和国人民防空法》第二十二条；《湖北省实施〈中华人民共和国人民防空法〉办法》第二十二条|是否按规定修建防空地下室；平时使用是否影响战时功能
D29|行|宗教活动场所的检查|财务管理；安全管理|《宗教事务条例》第六条、第三十四条|财务是否公开；消防安全是否落实
D38|行|机关企事业单位档案工作的检查|文书档案；重大活动档案|《中华人民共和国档案法》第六条|档案是否按规定归档；保管条件是否达标
D02|行|重点用能单位节能的检查||《中华人民共和国节约能源法》第十二条|是否设立能源管理岗位；能耗是否超标
D02|行|无线电台（站）设置使用的检查||《中华人民共和国无线电管理条例》第六十三条|是否取得电台执照；是否按核定参数使用
"""

# Bodies whose enforcement power is not their own by statute.
BODY_KINDS = {
    "D35": (
        BodyKind.ENTRUSTED,
        "受区卫生和计划生育委员会委托，《中华人民共和国行政处罚法》第十八条",
    ),
    "D36": (
        BodyKind.AUTHORISED,
        "《湖北省文化市场管理条例》第五条；区编委关于组建文化市场综合执法大队的批复",
    ),
    "D34": (BodyKind.AUTHORISED, "《中华人民共和国道路运输条例》第七条"),
    "D33": (BodyKind.AUTHORISED, "《中华人民共和国公路法》第八条"),
}
STATUTORY_BASIS = "《中华人民共和国行政处罚法》第十五条；《湖北省行政执法条例》第八条"


def parse_items(text: str = ITEMS_2017):
    """Yield one dict per item of the list (each sub-item separately), in table order."""
    numbers: dict[str, int] = {}
    for line in text.strip().splitlines():
        unit, kind, name, subs, basis, points = line.split("|")
        for sub_item in [s for s in subs.split("；") if s] or [""]:
            numbers[unit] = numbers.get(unit, 0) + 1
            yield {
                "unit": unit,
                "code": f"{YEAR}-{unit}-{numbers[unit]:03d}",
                "kind": KINDS[kind],
                "name": name,
                "sub_item": sub_item,
                "legal_basis": basis,
                "points": points.split("；"),
            }


def load_items(units: dict[str, Unit], office: User) -> dict[str, InspectionItem]:
    items = {}
    for row in parse_items():
        field, method, ratio, frequency = UNIT_SETTINGS[row["unit"]]
        item, _created = upsert_approved(
            InspectionItem,
            {"year": YEAR, "code": row["code"]},
            {
                "unit": units[row["unit"]],
                "name": row["name"],
                "sub_item": row["sub_item"],
                "kind": row["kind"],
                "field": field,
                "legal_basis": row["legal_basis"],
                "method": method,
                "content": "；".join(row["points"]) + "。",
                "ratio": Decimal(ratio),
                "frequency": frequency,
                "published_on": LIST_PUBLISHED_ON,
                "cancelled_on": None,
            },
            by=office,
            reviewed_at=APPROVED_AT,
        )
        for position, point in enumerate(row["points"], start=1):
            upsert(CheckPoint, {"item": item, "position": position}, {"content": point})
        items[row["code"]] = item
    return items


def load_bodies(units: dict[str, Unit], office: User) -> dict[str, EnforcementBody]:
    bodies = {}
    for code in UNIT_SETTINGS:
        kind, basis = BODY_KINDS.get(code, (BodyKind.STATUTORY, STATUTORY_BASIS))
        bodies[code], _created = upsert_approved(
            EnforcementBody,
            {"unit": units[code], "name": units[code].name},
            {"kind": kind, "legal_basis": basis},
            by=office,
            reviewed_at=APPROVED_AT,
        )
    return bodies


# --- Target pools --------------------------------------------------------------------------

PLACE_WORDS = [
    "桂乡", "温泉", "香城", "淦河", "潜山", "贺胜", "鸣水", "星竹", "向阳", "汀泗",
    "永安", "浮山", "金桂", "楠竹", "青龙", "龟山", "双溪", "大幕", "马桥", "高桥",
]  # fmt: skip
TRADES = [
    "商贸有限公司", "食品有限公司", "建材有限公司", "农业开发有限公司",
    "电子科技有限公司", "物流有限公司", "餐饮管理有限公司", "装饰工程有限公司",
]  # fmt: skip
SHOPS = ["便民超市", "副食店", "五金店", "早餐店", "服装店", "水果店", "烟酒店", "理发店"]
SURNAMES = "张王李刘陈杨黄周吴徐孙胡朱高林何"
GIVEN_NAMES = ["建国", "志强", "海燕", "桂华", "明", "丽娟", "国庆", "小红", "文斌", "春梅"]
ROADS = ["温泉路", "永安大道", "淦河大道", "金桂路", "贺胜路", "双鹤路", "青龙路", "长江大道"]

# unit code -> (how many targets, registration authority code, first serial, shops?)
POOLS = {"V01": (40, "91", 10000, False), "D23": (12, "92", 20000, True)}


def demo_credit_code(kind: str, serial: int) -> str:
    """A valid credit code registered in 咸安 (``kind`` 91 enterprise, 92 individual)."""
    body8 = f"MA4{serial:05d}"
    return make_credit_code(kind + DIVISION + body8 + organisation_code_check_character(body8))


def person(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN_NAMES[(n * 7) % len(GIVEN_NAMES)]


def load_targets(units: dict[str, Unit]) -> dict[str, list[InspectionTarget]]:
    pools = {}
    for code, (size, kind, first, shops) in POOLS.items():
        pool = []
        for i in range(size):
            if shops:
                name = f"咸安区{ROADS[i % len(ROADS)][:2]}{SHOPS[i % len(SHOPS)]}（{person(i)}）"
            else:
                name = f"咸宁市{PLACE_WORDS[i % 20]}{TRADES[(i * 3) % len(TRADES)]}"
            target, _created = upsert(
                InspectionTarget,
                {"unit": units[code], "credit_code": demo_credit_code(kind, first + i)},
                {
                    "name": name,
                    "legal_representative": person(i + first),
                    "address": f"咸宁市咸安区{ROADS[(i * 5) % len(ROADS)]}{18 + i * 3}号",
                    "contact": f"0715-8{(first + i * 37) % 1000000:06d}",
                    "is_active": True,
                },
            )
            pool.append(target)
        pools[code] = pool
    return pools


# --- Officers and conflicts ----------------------------------------------------------------

ISSUED_ON = datetime.date(2016, 3, 1)
# Renewed certificates, so a draw can also be tried on the demo today.
VALID_UNTIL = datetime.date(2028, 12, 31)

# unit code -> officers: (name, field, issued on, expires on)
OFFICERS = {
    "V01": [
        ("刘志刚", F.MARKET, ISSUED_ON, VALID_UNTIL),
        ("陈丽华", F.MARKET, ISSUED_ON, VALID_UNTIL),
        ("王建军", F.MARKET, ISSUED_ON, VALID_UNTIL),
        ("周晓燕", F.MARKET, ISSUED_ON, VALID_UNTIL),
        ("胡明亮", F.MARKET, ISSUED_ON, VALID_UNTIL),
        ("徐海涛", F.MARKET, datetime.date(2017, 3, 1), VALID_UNTIL),
        # Not renewed after the old certificate expired: never drawn after 31 May 2017.
        ("吴德华", F.MARKET, datetime.date(2012, 6, 1), datetime.date(2017, 5, 31)),
        # Transferred in from quality supervision; not yet certified for market supervision.
        ("孙国庆", F.QUALITY, ISSUED_ON, VALID_UNTIL),
    ],
    "D23": [
        ("张卫东", F.URBAN, ISSUED_ON, VALID_UNTIL),
        ("李春梅", F.URBAN, ISSUED_ON, VALID_UNTIL),
        ("黄文斌", F.URBAN, ISSUED_ON, VALID_UNTIL),
        ("朱小红", F.URBAN, ISSUED_ON, VALID_UNTIL),
        # Expiring soon after the November 2017 draw.
        ("高志强", F.URBAN, datetime.date(2012, 12, 20), datetime.date(2017, 12, 19)),
    ],
    "D12": [
        ("杨海燕", F.TRANSPORT, ISSUED_ON, VALID_UNTIL),
        ("林建国", F.TRANSPORT, ISSUED_ON, VALID_UNTIL),
        ("何桂华", F.TRANSPORT, datetime.date(2012, 4, 1), datetime.date(2017, 3, 31)),
    ],
}


def load_officers(units, bodies, office) -> dict[str, list[Officer]]:
    officers = {}
    for code, rows in OFFICERS.items():
        officers[code] = []
        for n, (name, field, issued_on, expires_on) in enumerate(rows, start=1):
            officer, _created = upsert_approved(
                Officer,
                {"certificate_number": f"{DIVISION}{code}{n:03d}"},
                {
                    "unit": units[code],
                    "body": bodies[code],
                    "name": name,
                    "field": field,
                    "issued_on": issued_on,
                    "expires_on": expires_on,
                },
                by=office,
                reviewed_at=APPROVED_AT,
            )
            officers[code].append(officer)
    return officers


# (unit, officer index, target index, reason, declared on)
CONFLICTS = [
    ("V01", 0, 2, "配偶在该企业任财务负责人", datetime.date(2017, 8, 21)),
    ("V01", 3, 7, "曾在该企业任职，离职未满三年", datetime.date(2017, 8, 25)),
    ("D23", 1, 4, "经营者系本人兄弟", datetime.date(2017, 11, 2)),
]


def load_conflicts(officers, pools) -> None:
    for code, officer_index, target_index, reason, declared_on in CONFLICTS:
        upsert(
            Conflict,
            {"officer": officers[code][officer_index], "target": pools[code][target_index]},
            {"reason": reason, "declared_on": declared_on},
        )


# --- Draws ---------------------------------------------------------------------------------

DRAWS = [
    {
        "item": "2017-V01-001",  # 企业公示信息的检查——企业年度报告公示信息
        "batch": "2017年第二批",
        "drawn_at": datetime.datetime(2017, 9, 4, 9, 30, tzinfo=SHANGHAI),
        "ratio": Decimal("10"),
        "seed": "xianan-v01-2017-2-4f1c9a",
        "results": [
            (datetime.date(2017, 9, 12), ResultKind.NO_PROBLEM, "年度报告信息与实际一致。"),
            (
                datetime.date(2017, 9, 14),
                ResultKind.RECTIFICATION_ORDERED,
                "年度报告从业人数与社保缴费人数不一致，已责令更正公示。",
            ),
            (datetime.date(2017, 9, 19), ResultKind.NO_PROBLEM, "年度报告信息与实际一致。"),
            (
                datetime.date(2017, 9, 22),
                ResultKind.NOT_CONTACTABLE,
                "登记住所已无人经营，电话无法接通，拟列入经营异常名录。",
            ),
        ],
        "check_ended_on": datetime.date(2017, 9, 25),
        "published_on": datetime.date(2017, 10, 20),
        "status": Status.APPROVED,
    },
    {
        "item": "2017-D23-001",  # 城市市容和环境卫生的检查——门前三包
        "batch": "2017年第四季度",
        "drawn_at": datetime.datetime(2017, 11, 20, 15, 0, tzinfo=SHANGHAI),
        "count": 3,
        "seed": "xianan-d23-2017-q4-93b7e2",
        "results": [
            (datetime.date(2017, 12, 5), ResultKind.NO_PROBLEM, ""),
            (
                datetime.date(2017, 12, 7),
                ResultKind.RECTIFICATION_ORDERED,
                "店外占道堆放货物，已当场责令整改。",
            ),
            (datetime.date(2017, 12, 12), ResultKind.NO_PROBLEM, ""),
        ],
        "check_ended_on": datetime.date(2017, 12, 15),
        "published_on": datetime.date(2018, 1, 10),
        "status": Status.APPROVED,
    },
]


def load_draws(items, office: User) -> list[InspectionDraw]:
    draws = []
    for spec in DRAWS:
        item = items[spec["item"]]
        record = InspectionDraw.objects.filter(item=item, batch=spec["batch"]).first()
        if record is None:
            record = make_draw(
                item,
                batch=spec["batch"],
                by=office,
                ratio=spec.get("ratio"),
                count=spec.get("count"),
                on=spec["drawn_at"].date(),
                seed=spec["seed"],
            )
            InspectionDraw.objects.filter(pk=record.pk).update(drawn_at=spec["drawn_at"])
        for row, (checked_on, result, findings) in zip(
            record.drawn_targets.order_by("position"), spec["results"], strict=True
        ):
            upsert(
                DrawnTarget,
                {"pk": row.pk},
                {"checked_on": checked_on, "result": result, "findings": findings},
            )
        approved = spec["status"] == Status.APPROVED
        upsert(
            InspectionDraw,
            {"pk": record.pk},
            {
                "check_ended_on": spec["check_ended_on"],
                "published_on": spec["published_on"],
                "status": spec["status"],
                "submitted_by": office,
                "submitted_at": spec["drawn_at"] + datetime.timedelta(days=30),
                "reviewed_by": office if approved else None,
                "reviewed_at": spec["drawn_at"] + datetime.timedelta(days=40) if approved else None,
            },
        )
        draws.append(record)
    return draws


def load(command, units: dict[str, Unit]) -> None:
    office = office_user()
    items = load_items(units, office)
    bodies = load_bodies(units, office)
    pools = load_targets(units)
    officers = load_officers(units, bodies, office)
    load_conflicts(officers, pools)
    draws = load_draws(items, office)
    tally = InspectionItem.objects.published_list(YEAR).tally()
    command.stdout.write(
        _(
            "%(year)d年随机抽查事项清单：%(total)d项（行政检查事项%(administrative)d项，"
            "其他有法律依据的检查事项%(other)d项）；检查对象%(targets)d个，执法人员%(officers)d名，"
            "抽取%(draws)d次"
        )
        % {
            "year": YEAR,
            "total": tally.total,
            "administrative": tally.count(InspectionKind.ADMINISTRATIVE),
            "other": tally.count(InspectionKind.OTHER),
            "targets": sum(len(pool) for pool in pools.values()),
            "officers": sum(len(rows) for rows in officers.values()),
            "draws": len(draws),
        }
    )
