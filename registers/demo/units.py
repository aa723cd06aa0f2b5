"""Demo data for the foundation: Xian'an's units and the demo accounts.

Idempotent: everything is looked up by its natural key and only created or corrected when
it differs, so running it twice writes nothing the second time.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from registers.core.roles import Role
from registers.models import Unit, UnitKind, User

from .writes import upsert

DEMO_PASSWORD = "demo"

# (code, name, short name, enforcement body)
GOVERNMENT = [
    ("G01", "咸安区人民政府", "区政府", True),
    ("G02", "咸安区人民政府办公室", "区政府办", False),
]

DEPARTMENTS = [
    ("D01", "咸安区发展和改革局", "区发改局", True),
    ("D02", "咸安区经济和信息化局", "区经信局", True),
    ("D03", "咸安区教育局", "区教育局", True),
    ("D04", "咸安区科学技术局", "区科技局", True),
    ("D05", "咸宁市公安局咸安分局", "咸安公安分局", True),
    ("D06", "咸安区民政局", "区民政局", True),
    ("D07", "咸安区司法局", "区司法局", True),
    ("D08", "咸安区财政局", "区财政局", True),
    ("D09", "咸安区人力资源和社会保障局", "区人社局", True),
    ("D10", "咸安区环境保护局", "区环保局", True),
    ("D11", "咸安区住房和城乡建设局", "区住建局", True),
    ("D12", "咸安区交通运输局", "区交通运输局", True),
    ("D13", "咸安区水利局", "区水利局", True),
    ("D14", "咸安区农业局", "区农业局", True),
    ("D15", "咸安区林业局", "区林业局", True),
    ("D16", "咸安区商务局", "区商务局", True),
    ("D17", "咸安区文化体育新闻出版广电局", "区文体新广局", True),
    ("D18", "咸安区卫生和计划生育委员会", "区卫计委", True),
    ("D19", "咸安区审计局", "区审计局", True),
    ("D20", "咸安区统计局", "区统计局", True),
    ("D21", "咸安区安全生产监督管理局", "区安监局", True),
    ("D22", "咸安区食品药品监督管理局", "区食药监局", True),
    ("D23", "咸安区城市管理执法局", "区城管执法局", True),
    ("D24", "咸安区物价局", "区物价局", True),
    ("D25", "咸安区粮食局", "区粮食局", True),
    ("D26", "咸安区畜牧兽医局", "区畜牧兽医局", True),
    ("D27", "咸安区房地产管理局", "区房管局", True),
    ("D28", "咸安区旅游局", "区旅游局", True),
    ("D29", "咸安区民族宗教事务局", "区民宗局", True),
    ("D30", "咸安区人民防空办公室", "区人防办", True),
    ("D31", "咸安区水产局", "区水产局", True),
    ("D32", "咸安区农业机械管理局", "区农机局", True),
    ("D33", "咸安区公路管理局", "区公路局", True),
    ("D34", "咸安区道路运输管理所", "区运管所", True),
    ("D35", "咸安区卫生计生综合监督执法局", "区卫生监督局", True),
    ("D36", "咸安区文化市场综合执法大队", "区文化执法大队", True),
    ("D37", "咸安区地方海事处", "区海事处", True),
    ("D38", "咸安区档案局", "区档案局", True),
    ("D39", "咸安区移民局", "区移民局", True),
    ("D40", "咸安区招商局", "区招商局", False),
    ("D41", "咸安区人民政府法制办公室", "区政府法制办", False),
    ("D42", "咸安区机构编制委员会办公室", "区编办", False),
    ("D43", "咸安区政务服务中心", "区政务服务中心", False),
]

VERTICAL = [
    ("V01", "咸宁市工商行政管理局咸安分局", "咸安工商分局", True),
    ("V02", "咸安区地方税务局", "区地税局", True),
    ("V03", "咸安区国家税务局", "区国税局", True),
    ("V04", "咸安区质量技术监督局", "区质监局", True),
    ("V05", "咸宁市国土资源局咸安分局", "咸安国土分局", True),
    ("V06", "咸宁市规划局咸安分局", "咸安规划分局", True),
    ("V07", "咸安区气象局", "区气象局", True),
    ("V08", "咸安区烟草专卖局", "区烟草专卖局", True),
]

TOWNSHIPS = [
    ("T01", "永安街道办事处", "永安街道", True),
    ("T02", "温泉街道办事处", "温泉街道", True),
    ("T03", "浮山街道办事处", "浮山街道", True),
    ("T04", "向阳湖镇人民政府", "向阳湖镇", True),
    ("T05", "官埠桥镇人民政府", "官埠桥镇", True),
    ("T06", "横沟桥镇人民政府", "横沟桥镇", True),
    ("T07", "贺胜桥镇人民政府", "贺胜桥镇", True),
    ("T08", "双溪桥镇人民政府", "双溪桥镇", True),
    ("T09", "马桥镇人民政府", "马桥镇", True),
    ("T10", "桂花镇人民政府", "桂花镇", True),
    ("T11", "高桥镇人民政府", "高桥镇", True),
    ("T12", "汀泗桥镇人民政府", "汀泗桥镇", True),
    ("T13", "大幕乡人民政府", "大幕乡", True),
]

UNITS = [
    *(
        (row, UnitKind.GOVERNMENT if row[0] == "G01" else UnitKind.GOVERNMENT_OFFICE)
        for row in GOVERNMENT
    ),
    *((row, UnitKind.DEPARTMENT) for row in DEPARTMENTS),
    *((row, UnitKind.VERTICAL) for row in VERTICAL),
    *((row, UnitKind.TOWNSHIP) for row in TOWNSHIPS),
]

#: The account the demo's records are entered and approved by.
OFFICE = "office"

# (username, role, unit code, family name, given name, description)
ACCOUNTS = [
    (OFFICE, Role.OFFICE, "D41", "王", "法制", "法制办工作人员：查看和修改全部记录，审核报送"),
    (
        "office2",
        Role.OFFICE,
        "D41",
        "刘",
        "审核",
        "法制办工作人员（另一位）：与 office 同时修改同一条记录时，后保存的一方会被提示",
    ),
    ("leader", Role.LEADER, "G01", "李", "领导", "领导：查看全部记录，不能修改"),
    (
        "liaison",
        Role.LIAISON,
        "D23",
        "张",
        "联络",
        "联络员（区城管执法局）：只能看到和修改本单位记录",
    ),
    (
        "liaison2",
        Role.LIAISON,
        "D12",
        "陈",
        "联络",
        "联络员（区交通运输局）：只能看到和修改本单位记录",
    ),
    (
        "municipal",
        Role.API_CLIENT,
        None,
        "市政府",
        "接口",
        "市政府系统（接口客户端）：只读，令牌认证",
    ),
    # Separation of duties (三员分立): the three administrators, who see no record.
    ("sysadmin", Role.SYSTEM_ADMIN, "D41", "赵", "系统", "系统管理员：账号、单位和节假日设置"),
    (
        "secadmin",
        Role.SECURITY_ADMIN,
        "D41",
        "钱",
        "安全",
        "安全管理员：角色、锁定、令牌和双因素认证",
    ),
    ("auditor", Role.AUDITOR, "D41", "孙", "审计", "安全审计员：查看和导出安全审计日志"),
]


def office_user() -> User:
    """The office's demo account (``OFFICE``), by whom the demo's records are entered."""
    return User.objects.get(username=OFFICE)


def load_units() -> dict[str, Unit]:
    units = {}
    for (code, name, short_name, enforcement), kind in UNITS:
        unit, _created = upsert(
            Unit,
            {"code": code},
            {
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "is_enforcement_body": enforcement,
                "closed_on": None,
            },
        )
        units[code] = unit
    return units


def load_accounts(units: dict[str, Unit]) -> list[tuple[str, str]]:
    lines = []
    for username, role, unit_code, last_name, first_name, description in ACCOUNTS:
        user, _created = upsert(
            User,
            {"username": username},
            {
                "role": role,
                "unit": units[unit_code] if unit_code else None,
                "last_name": last_name,
                "first_name": first_name,
                "is_active": True,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        lines.append((username, description))
    return lines


def load(command) -> dict[str, Unit]:
    units = load_units()
    command.accounts = load_accounts(units)
    command.stdout.write(_("单位：%(count)d 个") % {"count": len(units)})
    return units


def write_accounts(command) -> None:
    """The demo accounts, printed last so they are what a new user sees."""
    command.stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
    for username, description in getattr(command, "accounts", []):
        command.stdout.write(f"  {username:<10} {description}")
