"""Settings for the 咸安区法治政府建设合规台账 project.

Everything that differs between a developer's laptop and production is read from the
environment; the defaults are the safe ones (DEBUG off, HTTPS enforced, no default key).
See README.md for the variables.
"""

import datetime
import os
import warnings
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DEBUG 关闭时必须设置环境变量 SECRET_KEY（一个长随机字符串，例如 "
            'python3 -c "import secrets; print(secrets.token_urlsafe(50))" 的输出）；'
            "本机演示请在命令前加 DEBUG=1。"
        )
    # Development only: a key that is obviously not for production.
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    # Django's admin on the project's site (header, kept list of registers).
    "xianan_lawgov.admin_site.LawgovAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before the project's apps: its login-failure handler runs before theirs.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The job queue (registers/core/jobs.py): Django's tasks framework, its database backend.
    "django_tasks",
    "django_tasks_db",
    "registers",
    "reviews",
    "xianan_lawgov.reports",
    "xianan_lawgov.workspace",
    "xianan_lawgov.audit",
    "xianan_lawgov.accounts",
    # The project itself: its management commands (load_demo) compose every app.
    "xianan_lawgov",
    # Django's own form templates, for the form renderer below.
    "django.forms",
]

MIDDLEWARE = [
    # Outside every middleware that reads the database: an unreachable database is a 503
    # page (or JSON), whichever of them met it (xianan_lawgov/outage.py).
    "xianan_lawgov.outage.DatabaseOutageMiddleware",
    # Whatever was answered to a signed-in user: private, no-store (xianan_lawgov/caching.py).
    "xianan_lawgov.caching.PrivateResponsesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's sessions; a request pushes the idle end on at most once a minute.
    "xianan_lawgov.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xianan_lawgov.audit.middleware.AuditMiddleware",
    "xianan_lawgov.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "registers.core.calendar.OneCalendarPerRequest",
    # The data's stamp (what kept results are kept under) read once per reading request.
    "registers.core.stamps.OneStampPerRequest",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Forms are rendered with the project's templates: one field template for every page's form
# (label, input, help and errors, the help and errors named by the input's aria-describedby).
FORM_RENDERER = "xianan_lawgov.workspace.forms.FormRenderer"

ROOT_URLCONF = "xianan_lawgov.urls"
WSGI_APPLICATION = "xianan_lawgov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xianan_lawgov.workspace.navigation.navigation",
                "xianan_lawgov.accounts.context.session_timeout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Shared by the web server and the worker: writers queue instead of failing.
    DATABASES["default"]["ENGINE"] = "xianan_lawgov.sqlite"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registers.User"
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"

LANGUAGE_CODE = "zh-hans"
# One language: the interface and the documents are in Simplified Chinese whatever the
# browser asks for (a browser set to English would otherwise get Django's own pages in
# English beside the project's Chinese).
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve static files straight from the app folders when collectstatic has not been run.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at")

# --- Security: on by default; see README for switching HTTPS enforcement off. -------------
# HTTPS_ONLY=0 disables the redirect, HSTS and secure cookies (plain-HTTP intranet servers);
# BEHIND_TLS_PROXY=1 trusts X-Forwarded-Proto from a TLS-terminating reverse proxy.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Identification, access and audit (等保 2.0 level 3; see docs/security.md) -------------
LAWGOV_SECURITY = {
    # Login failures: this many for a user name, or from an address, within the window lock
    # that name or address for LOCKOUT_MINUTES (every login path, the second factor too).
    "LOGIN_FAILURE_LIMIT": int(os.environ.get("LAWGOV_LOGIN_FAILURE_LIMIT", "5")),
    "LOGIN_FAILURE_WINDOW_MINUTES": int(
        os.environ.get("LAWGOV_LOGIN_FAILURE_WINDOW_MINUTES", "15")
    ),
    "LOCKOUT_MINUTES": int(os.environ.get("LAWGOV_LOCKOUT_MINUTES", "30")),
    # Sessions end after this long without a request (the page warns WARNING seconds before).
    "SESSION_IDLE_MINUTES": int(os.environ.get("LAWGOV_SESSION_IDLE_MINUTES", "30")),
    "SESSION_WARNING_SECONDS": int(os.environ.get("LAWGOV_SESSION_WARNING_SECONDS", "60")),
    # Passwords: length, character classes (of upper, lower, digit, other), maximum age in
    # days (0: no maximum).
    "PASSWORD_MIN_LENGTH": int(os.environ.get("LAWGOV_PASSWORD_MIN_LENGTH", "10")),
    "PASSWORD_MIN_CHARACTER_CLASSES": int(
        os.environ.get("LAWGOV_PASSWORD_MIN_CHARACTER_CLASSES", "3")
    ),
    "PASSWORD_MAX_AGE_DAYS": int(os.environ.get("LAWGOV_PASSWORD_MAX_AGE_DAYS", "0")),
    # Roles that must log in with two factors unless the security administrator sets
    # otherwise per role: the office and the three administrators whenever DEBUG is off.
    "TWO_FACTOR_ROLES": env_list(
        "LAWGOV_TWO_FACTOR_ROLES",
        "" if DEBUG else "office,system_admin,security_admin,auditor",
    ),
    "RECOVERY_CODES": 10,
    # API tokens: lifetime of a new token; request rates per token, per address without a
    # token, and of bad tokens per address.
    "TOKEN_LIFETIME_DAYS": int(os.environ.get("LAWGOV_TOKEN_LIFETIME_DAYS", "365")),
    "API_RATE_PER_TOKEN": os.environ.get("LAWGOV_API_RATE_PER_TOKEN", "3600/hour"),
    "API_RATE_PER_ADDRESS": os.environ.get("LAWGOV_API_RATE_PER_ADDRESS", "600/hour"),
    "BAD_TOKENS_PER_ADDRESS": os.environ.get("LAWGOV_BAD_TOKENS_PER_ADDRESS", "10/minute"),
    # Security audit log: days kept (网络安全法 art. 21: at least 180).
    "AUDIT_RETENTION_DAYS": int(os.environ.get("LAWGOV_AUDIT_RETENTION_DAYS", "180")),
    # The API's schema and documentation page: behind login unless opened.
    "API_DOCS_PUBLIC": env_bool("LAWGOV_API_DOCS_PUBLIC", False),
}

AUTHENTICATION_BACKENDS = [
    # Refuses a locked user name or address before the password is even checked.
    "xianan_lawgov.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xianan_lawgov.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "xianan_lawgov.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: records when and by whom a password was set (first-login change).
    {"NAME": "xianan_lawgov.accounts.passwords.PasswordChangeRecorder"},
]

SESSION_COOKIE_AGE = LAWGOV_SECURITY["SESSION_IDLE_MINUTES"] * 60
# The idle time counts from the last request, to the minute (IdleSessionMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: the office's rule lives in the handler (xianan_lawgov.accounts.lockout).
AXES_HANDLER = "xianan_lawgov.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = "xianan_lawgov.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LAWGOV_SECURITY["LOCKOUT_MINUTES"])
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "xianan_lawgov.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # locks are listed (and lifted) as the project's own Lockout
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_VERBOSE = False
if env_bool("BEHIND_TLS_PROXY", False):
    # The client's address as the proxy reports it (locks and the audit log use it).
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

OTP_TOTP_ISSUER = "咸安区法治政府建设合规台账"

# Content Security Policy: nothing from elsewhere, no inline script. Inline style attributes
# stay allowed (bar widths in the dashboards, the admin's own), they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# E-mail is sent by the background worker (registers/core/mail.py), never inside a request.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lawgov@xianan.gov.cn")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds a mail server may take to answer before the message's job fails (and is retried).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Where links in notification e-mails point, e.g. https://lawgov.xianan.gov.cn
SITE_URL = os.environ.get("SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- History: audit rows are read-only; nothing is reverted behind the workflow's back. ----
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- REST API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is answered 401 with "WWW-Authenticate: Token".
        "xianan_lawgov.accounts.authentication.ApiTokenAuthentication",
        "xianan_lawgov.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "registers.core.api.filtering.FilterBackend",
        "registers.core.api.search.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "xianan_lawgov.accounts.throttles.TokenRateThrottle",
        "xianan_lawgov.accounts.throttles.AddressRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "registers.core.api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "registers.core.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "registers.core.api.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "咸安区法治政府建设合规台账 API",
    "DESCRIPTION": (
        "台账与审查案件的读取、填报、审核与同步接口。浏览器使用会话登录；系统使用令牌："
        "请求头 `Authorization: Token <令牌>`。列表支持 `updated_since` 增量同步（含已删除记录）。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if LAWGOV_SECURITY["API_DOCS_PUBLIC"]
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Each choice set under its own name (fields called kind, outcome… differ by register).
    "ENUM_NAME_OVERRIDES": {
        "AcceptanceDecisionEnum": "reviews.models.reconsideration.AcceptanceDecision",
        "AccountabilityMeasureEnum": "reviews.models.supervision.AccountabilityMeasure",
        "AdjustmentKindEnum": "registers.models.power.AdjustmentKind",
        "AdjustmentReasonEnum": "registers.models.power.AdjustmentReason",
        "AttachmentKindEnum": "registers.core.models.AttachmentKind",
        "BodyKindEnum": "registers.models.enforcement.BodyKind",
        "CaseTypeEnum": "reviews.models.evaluations.CaseType",
        "CleanupOutcomeEnum": "reviews.models.cleanup.CleanupOutcome",
        "ConductEnum": "reviews.models.supervision.Conduct",
        "DecisionCategoryEnum": "reviews.models.decisions.DecisionCategory",
        "DocumentChangeKindEnum": "registers.models.documents.DocumentChangeKind",
        "DocumentKindEnum": "registers.models.documents.DocumentKind",
        "DocumentStatusEnum": "registers.models.documents.DocumentStatus",
        "DraftKindEnum": "reviews.models.legality.DraftKind",
        "EnforcementFieldEnum": "registers.models.enforcement.EnforcementField",
        "EvaluationTriggerEnum": "reviews.models.decisions.EvaluationTrigger",
        "FilingAuthorityEnum": "reviews.models.legality.FilingAuthority",
        "FilingTimelinessEnum": "reviews.models.legality.FilingTimeliness",
        "GradeEnum": "reviews.models.evaluations.Grade",
        "HeadRankEnum": "reviews.models.litigation.HeadRank",
        "InspectionKindEnum": "registers.models.inspections.InspectionKind",
        "InstanceEnum": "reviews.models.litigation.Instance",
        "IntegratedItemKindEnum": "registers.models.licences.IntegratedItemKind",
        "LegalityResultEnum": "reviews.models.decisions.LegalityResult",
        "ListKindEnum": "registers.models.power.ListKind",
        "ListLevelEnum": "registers.models.power.ListLevel",
        "LitigationOutcomeEnum": "reviews.models.litigation.LitigationOutcome",
        "MeetingKindEnum": "reviews.models.decisions.MeetingKind",
        "NegativeMeasureEnum": "registers.models.power.NegativeMeasure",
        "OutcomeClassEnum": "reviews.models.litigation.OutcomeClass",
        "PoliceDecisionEnum": "reviews.models.supervision.PoliceDecision",
        "PowerCategoryEnum": "registers.models.power.PowerCategory",
        "ProblemSourceEnum": "reviews.models.supervision.ProblemSource",
        "ReconsiderationOutcomeEnum": "reviews.models.reconsideration.ReconsiderationOutcome",
        "ReconsiderationProcedureEnum": "reviews.models.reconsideration.ReconsiderationProcedure",
        "ReconsiderationStageEnum": "reviews.models.reconsideration.ReconsiderationStage",
        "ResponsibilityStageEnum": "registers.models.power.ResponsibilityStage",
        "ResultKindEnum": "registers.models.inspections.ResultKind",
        "ReviewKindEnum": "reviews.models.legality.ReviewKind",
        "ReviewResultEnum": "reviews.models.legality.ReviewResult",
        "StanceEnum": "reviews.models.decisions.Stance",
        "StatusEnum": "registers.core.status.Status",
        "StepKindEnum": "reviews.models.decisions.StepKind",
        "TownshipDutyEnum": "registers.models.power.TownshipDuty",
        "TransferDecisionEnum": "reviews.models.supervision.TransferDecision",
        "UnitKindEnum": "registers.models.units.UnitKind",
        "VetoItemEnum": "reviews.models.evaluations.VetoItem",
    },
}

# --- Import/export --------------------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Cells beginning with = + - @ are written as text, never as formulas (CSV/formula injection).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = None
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = None

# --- Domain configuration (local rules that are not constants) ------------------------------
LAWGOV = {
    # Hubei's former rule: normative documents filed with the city within 15 days of issue.
    "FILING_DAYS": int(os.environ.get("LAWGOV_FILING_DAYS", "15")),
    # Random-inspection results are published within this many working days of the end of
    # the check (the period of 企业信息公示暂行条例 art. 6; provinces set their own).
    "PUBLICATION_DAYS": int(os.environ.get("LAWGOV_PUBLICATION_DAYS", "20")),
    # Default validity of a normative document, and of 暂行/试行 ones (years).
    "DOCUMENT_VALIDITY_YEARS": 5,
    "PROVISIONAL_DOCUMENT_VALIDITY_YEARS": 2,
    # What reconsideration correction rates divide by: "concluded" (审结) or "accepted" (受理)
    # cases of the year; places differ, so the report states which one it used. The office
    # sets it per report year (复议纠错率口径); this is the base of a year it has not set and
    # the default of a new year's setting.
    "CORRECTION_RATE_DENOMINATOR": os.environ.get(
        "LAWGOV_CORRECTION_RATE_DENOMINATOR", "concluded"
    ),
    # Government-investment contracts (咸安区政府投资项目合同管理办法, 2017): contracts at or
    # above these amounts (yuan) need an engaged lawyer's review / filing before signing.
    "CONTRACT_LAWYER_REVIEW_THRESHOLD": Decimal(
        os.environ.get("LAWGOV_CONTRACT_LAWYER_REVIEW_THRESHOLD", "2000000")
    ),
    "CONTRACT_FILING_THRESHOLD": Decimal(
        os.environ.get("LAWGOV_CONTRACT_FILING_THRESHOLD", "20000")
    ),
    # The annual report's workbook lists the records behind a figure one a row up to this
    # many; above it (a whole district's large registers), their number by unit and status.
    "REPORT_RECORD_SHEET_ROWS": int(os.environ.get("LAWGOV_REPORT_RECORD_SHEET_ROWS", "1000")),
    # Case-file evaluation grades: (lowest total score, grade), highest band first; a total
    # below the last band, or any veto item, is 不合格. Grades: "excellent" 优秀, "good" 良好,
    # "pass" 合格 (the Chinese labels are accepted too).
    "EVALUATION_GRADE_BANDS": [(Decimal("90"), "excellent"), (Decimal("60"), "pass")],
    # Enforcement certificates expiring within this many days are listed as soon expiring.
    "CERTIFICATE_WARNING_DAYS": int(os.environ.get("LAWGOV_CERTIFICATE_WARNING_DAYS", "90")),
    # Excel uploads (data exchange page, API and admin import): the largest file accepted
    # and the largest content it may unpack to (a zip bomb is refused before unpacking).
    "UPLOAD_MAX_BYTES": int(os.environ.get("LAWGOV_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
    "UPLOAD_MAX_UNCOMPRESSED_BYTES": int(
        os.environ.get("LAWGOV_UPLOAD_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
    ),
    # …and the most cells its data area may span, from A1 to its last cell (a reader lays
    # the area out in full: one far cell in a tiny file would take all the memory).
    "UPLOAD_MAX_SHEET_CELLS": int(os.environ.get("LAWGOV_UPLOAD_MAX_SHEET_CELLS", "5000000")),
    # Evidence files on records (decisions, judgments, contracts…): the largest file accepted.
    "ATTACHMENT_MAX_BYTES": int(
        os.environ.get("LAWGOV_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
    ),
}

# --- Operations: request log, health checks, file storage, backups (docs/deploy.md) ----------
# One line per request (method, path, status, duration, user id); outermost, so the duration
# covers every other middleware.
MIDDLEWARE = ["xianan_lawgov.request_log.RequestLogMiddleware", *MIDDLEWARE]
# LOG_FORMAT=json writes every log line as one JSON object, for a log collector.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING["formatters"] = {
    # No time stamp: journald and the container runtime stamp each line.
    "text": {"format": "%(levelname)s %(name)s %(message)s"},
    "json": {"()": "xianan_lawgov.request_log.JsonFormatter"},
}
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
LOGGING.setdefault("loggers", {})["xianan_lawgov.requests"] = {
    "handlers": ["console"],
    "level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING",
    "propagate": False,
}
# A load balancer probes the servers over plain HTTP on the inside network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# --- Background jobs (registers/core/jobs.py; docs/deploy.md, "The worker") ----------------
# The queue is a table in the database; `manage.py run_worker` works through it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LAWGOV_JOBS = {
    # An Excel upload with more data rows than this is checked and written by the worker.
    "UPLOAD_ROWS": int(os.environ.get("LAWGOV_UPLOAD_JOB_ROWS", "2000")),
    # Whole-district report files (Word, Excel) are made by the worker.
    "DISTRICT_REPORT_FILES": env_bool("LAWGOV_REPORT_FILES_IN_BACKGROUND", True),
    # The daily deadline reminders start at this local time (HH:MM).
    "NOTIFICATIONS_AT": os.environ.get("LAWGOV_NOTIFICATIONS_AT", "08:00"),
    # How many times an e-mail is tried, and the wait before a retry (times the attempts).
    "MAIL_ATTEMPTS": int(os.environ.get("LAWGOV_MAIL_ATTEMPTS", "3")),
    "RETRY_SECONDS": int(os.environ.get("LAWGOV_JOB_RETRY_SECONDS", "60")),
    # The worker reports every this many seconds; silent for longer than the second, it is
    # taken as stopped (the job page says jobs are waiting).
    "HEARTBEAT_SECONDS": 10,
    "WORKER_SILENCE_SECONDS": 60,
    # Finished jobs (and their files) are deleted this many days after they ended, by the
    # daily run at PRUNE_AT (local time).
    "KEEP_DAYS": int(os.environ.get("LAWGOV_JOB_KEEP_DAYS", "30")),
    "PRUNE_AT": os.environ.get("LAWGOV_JOB_PRUNE_AT", "03:00"),
}
# /readyz: a function returning when the background worker was last heard from (None: never).
HEALTH_WORKER_HEARTBEAT: str | None = "registers.core.jobs.last_heartbeat"
HEALTH_WORKER_SILENCE_SECONDS = 300
# One cache for every application server, so that what is counted in it (rate limits) is
# counted across all of them: a table in the database, made by `manage.py createcachetable`.
# The development server is a single process and keeps it in memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if DEBUG
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lawgov_cache"}
    )
}
# Results computed from the registers (report figures and files, open deadlines, the office
# home) are kept under a stamp of the data, so any change is seen at once; an entry is also
# dropped after this many seconds (registers/core/stamps.py).
LAWGOV_STAMPED_CACHE_SECONDS = int(os.environ.get("LAWGOV_STAMPED_CACHE_SECONDS", "300"))
# Files kept by the application (uploaded workbooks): shared by every application server and
# included in backups; never served by the web server directly.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Evidence files may be kept in an S3-compatible object store instead (MinIO, a cloud's OSS
# or COS): set LAWGOV_S3_BUCKET and install django-storages with boto3 (optional; see
# docs/deploy.md). The bucket is then backed up on its own: backups hold MEDIA_ROOT only.
if os.environ.get("LAWGOV_S3_BUCKET"):
    try:
        import storages  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "LAWGOV_S3_BUCKET is set but django-storages is not installed: "
            "pip install -e '.[s3]' (docs/deploy.md)."
        ) from exc
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LAWGOV_S3_BUCKET"],
            "endpoint_url": os.environ.get("LAWGOV_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LAWGOV_S3_REGION") or None,
            "access_key": os.environ.get("LAWGOV_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("LAWGOV_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("LAWGOV_S3_PREFIX", "lawgov"),
            # Files are served only through the application, which checks who asks.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or STATIC_ROOT)
# Where manage.py backup writes its archives unless told otherwise.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "backups")
