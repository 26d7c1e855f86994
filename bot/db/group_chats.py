"""Group chats that were already told the bot works only in private chats."""

from __future__ import annotations

from bot.db.database import Repository


class GroupChatRepository(Repository):
    async def mark_notified(self, chat_id: int) -> bool:
        """Remember the chat; True only the first time (so the notice is sent once)."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO group_chats_notified (chat_id) VALUES (?)", (chat_id,)
        )
        return changed > 0
