"""What staff see when they upload a waiting list or a mobile-clinic schedule.

The import reports themselves are shared with the server commands (`bot/cli.py`):
`bot/views/ivf_queue.py` `import_report_text` and `bot/views/mobile_clinics.py`
`render_import_errors`."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.services.mobile_clinics import ImportResult
from bot.services.regions import RegionDirectory
from bot.services.uploads import UploadRefusal
from bot.views.core import quote_user_text


def refusal_text(refusal: UploadRefusal, caption: str | None) -> str:
    if refusal is UploadRefusal.WAITING_LIST_NOT_CSV:
        return _(
            "Please send the waiting list as a CSV file. In Excel: File → Save as → "
            "«CSV UTF-8 (comma delimited)»."
        )
    if refusal is UploadRefusal.WAITING_LIST_TOO_LARGE:
        return _("The file is larger than 20 MB, the limit for Telegram bots.")
    if refusal is UploadRefusal.UNKNOWN_REGION:
        return _("I do not know the region «{text}» in the caption. Nothing was changed.").format(
            text=quote_user_text(caption or "")
        )
    return _("Send the schedule as a CSV file (up to 2 MB).")


def schedule_imported_text(result: ImportResult, regions: RegionDirectory, locale: str) -> str:
    names = ", ".join(
        region.name(locale) for region in map(regions.get, result.region_codes) if region
    )
    return _(
        "Schedule imported: {rows} rows for {regions}. New visits: {added}, moved: "
        "{rescheduled}, cancelled: {cancelled}. Subscribers of moved and cancelled visits "
        "will be told."
    ).format(
        rows=result.rows,
        regions=names,
        added=result.added,
        rescheduled=result.rescheduled,
        cancelled=result.cancelled,
    )
