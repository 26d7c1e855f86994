"""Staff upload documents: a mobile-clinic schedule or an IVF waiting list.

Under the staff parent router (`handlers/__init__.py`), after the broadcast dialog: a photo or
document attached to an announcement must not reach the imports. Other documents (a PDF) are
left to the features after it.
"""

import io
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Filter
from aiogram.types import Message

from bot.i18n import current_locale
from bot.services.ivf_queue_import import QueueImporter
from bot.services.mobile_clinics import MobileClinics
from bot.services.outbox import OutboxSender
from bot.services.regions import RegionDirectory
from bot.services.staff import StaffRoles
from bot.services.uploads import StaffDocument, UploadCheck, UploadKind, check_upload
from bot.views.ivf_queue import import_report_text
from bot.views.mobile_clinics import render_import_errors
from bot.views.uploads import refusal_text, schedule_imported_text


class Upload(Filter):
    """A document `bot/services/uploads.py` takes for an import, refused or of one kind;
    the handler receives the service's verdict as `upload`."""

    def __init__(self, kind: UploadKind | None = None) -> None:
        # None: any kind that cannot be imported as it is.
        self._kind = kind

    async def __call__(self, message: Message, regions: RegionDirectory) -> bool | dict[str, Any]:
        document = message.document
        if document is None:
            return False
        check = check_upload(
            StaffDocument(document.file_name, document.file_size or 0, message.caption), regions
        )
        if check is None:
            return False
        if self._kind is None:
            return {"upload": check} if check.refusal is not None else False
        if check.refusal is None and check.kind is self._kind:
            return {"upload": check}
        return False


async def refuse_upload(message: Message, upload: UploadCheck) -> None:
    assert upload.refusal is not None
    await message.answer(refusal_text(upload.refusal, message.caption))


async def on_schedule_file(
    message: Message,
    bot: Bot,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
    staff_roles: StaffRoles,
) -> None:
    document = message.document
    assert document is not None and message.from_user is not None
    content = await bot.download(document)
    assert content is not None
    result = await mobile_clinics.import_schedule(
        content.read(),
        source=f"telegram: {document.file_name or 'schedule.csv'}",
        staff=await staff_roles.role(message.from_user.id),
    )
    if not result.ok:
        await message.answer(render_import_errors(result.errors, regions))
        return
    await message.answer(schedule_imported_text(result, regions, current_locale()))


async def on_waiting_list_file(
    message: Message,
    *,
    upload: UploadCheck,
    bot: Bot,
    queue_importer: QueueImporter,
    regions: RegionDirectory,
    outbox: OutboxSender,
    staff_roles: StaffRoles,
) -> None:
    assert message.document is not None and message.from_user is not None
    content = io.BytesIO()
    await bot.download(message.document, destination=content)
    staff = await staff_roles.role(message.from_user.id)
    report = await queue_importer.import_csv(content.getvalue(), regions, upload.region, staff)
    await message.answer(import_report_text(report, regions))
    if report.notifications:
        outbox.wake()  # queued with the import; the one sender sends them


def create_router() -> Router:
    router = Router(name="uploads")
    router.message.register(refuse_upload, F.document, Upload())
    router.message.register(on_schedule_file, F.document, Upload(UploadKind.SCHEDULE))
    router.message.register(on_waiting_list_file, F.document, Upload(UploadKind.WAITING_LIST))
    return router
