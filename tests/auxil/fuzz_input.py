"""What the fuzzer sends: people, chats, hostile texts and button data, and Telegram's updates.

Used by tests/auxil/fuzz.py and by the tests that keep its cases.
"""

from __future__ import annotations

import random
import time
from typing import Any

import icu

from tests.auxil.fakes import BOT_ID, STAFF_CHAT
from tests.auxil.staff_harness import NGUYEN, SATO

__all__ = [
    "APPLICANTS",
    "CHANNEL",
    "COMMANDS",
    "LANGUAGE_CODES",
    "MEDIA",
    "NAME",
    "OTHER_FORUM",
    "PLAIN_GROUP",
    "ROSTER",
    "TOM",
    "Typist",
    "Updates",
    "private",
    "staff_chat",
]

# A roster member whose name needs escaping (``tsunagu staff add --name "Tom & <Jerry>"``).
TOM = 503
ROSTER = (SATO, NGUYEN, TOM)
APPLICANTS = tuple(range(7001, 7025))
LANGUAGE_CODES = (
    "en", "vi", "ja", "my", "zh-hans", "pt-br", "tl", "in", None, "xx", "", "fil", "km", "th",
    "ne", "mn", "es", "id", "ar", "he",
)  # fmt: skip
OTHER_FORUM = -1_009_999_999  # another supergroup with topics the bot was added to
PLAIN_GROUP = -4242
CHANNEL = -1_007_777_777
NAME = "Fuzzy & Co"  # everyone's first name: names are never logged

# -- what users type ------------------------------------------------------------------------------

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_CONTROL = "".join(chr(c) for c in (*range(0x00, 0x20), 0x7F, 0x85))
_RANGES = (
    (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x400, 0x4FF), (0x590, 0x6FF),
    (0x900, 0x97F), (0xE00, 0xE7F), (0x1000, 0x109F), (0x1780, 0x17FF), (0x1800, 0x18AF),
    (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xE0FF), (0xFFF0, 0xFFFF),
    (0x1F300, 0x1F6FF), (0x1F900, 0x1F9FF), (0xE0000, 0xE007F), (0x10FFF0, 0x10FFFF),
)  # fmt: skip
_MARKUP = (
    "<b>", "</b>", "<i>x</i>", "<script>alert(1)</script>", "<a href=\"javascript:x\">",
    "&amp;", "&lt;b&gt;", "&#0;", "&#x110000;", "&nbsp;", "&", "<", ">", "<<>>", "</",
    "<tg-spoiler>", "<pre><code class=\"language-x\">", "<!-- c -->", "<br/>", "\"'`",
)  # fmt: skip
_FORMATS = ("{text}", "{0}", "%s", "%(name)s", "{{", "}}", "{lines}", "%", "{", "\\n", "\\")
_INJECTIONS = ("'; DROP TABLE sessions;--", '" OR 1=1 --', "../../etc/passwd", "${jndi:x}")
_WORDS = (
    "Tokyo", "東京", "tokyo", "Osaka", "大阪府", "Hokkaido", "ホッカイドウ", "applicant", "titp",
    "agree", "yes", "no", "1", "2", "99", "Hà Nội", "Đồng Nai", "ကျေးဇူးတင်ပါတယ်", "ខ្ញុំ",
    "ฉันตกงาน", "नमस्ते", "Сайн уу", "olá", "¿qué?", "help", "staff", "back", "😀", "👨‍👩‍👧",
)  # fmt: skip
# Burmese in Unicode; turned into Zawgyi with ICU's own transform (the reverse of the bot's).
_BURMESE = (
    "မင်္ဂလာပါ", "ကျွန်တော် အလုပ်ပြုတ်သွားပါတယ်", "တိုကျို", "အလုပ်သင်", "ကျေးဇူးပြု၍ ကူညီပါ",
    "နေကောင်းလား", "ဂျပန်နိုင်ငံ", "ဗီဇာ သက်တမ်း ကုန်ပါပြီ",
)  # fmt: skip
COMMANDS = (
    "start", "back", "restart", "language", "staff", "mydata", "delete", "help", "bot",
    "reply", "note", "foo", "START", "Back", "", "/", "start@tsunagu_bot", "help@other_bot",
    "delete@tsunagu_bot", "staff@", "mydata@@",
)  # fmt: skip
MEDIA: dict[str, Any] = {
    "sticker": {
        "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False,
    },
    "photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}],
    "voice": {"file_id": "v", "file_unique_id": "v", "duration": 2},
    "document": {"file_id": "d", "file_unique_id": "d", "file_name": "<b>zairyu&.pdf"},
    "contact": {"phone_number": "+81 90 0000 0000", "first_name": "<i>Mai</i> & co"},
    "location": {"latitude": 35.68, "longitude": 139.76},
    "venue": {
        "location": {"latitude": 35.68, "longitude": 139.76}, "title": "<b>Office",
        "address": "1-1 & 2",
    },
    "dice": {"emoji": "🎲", "value": 3},
    "poll": {
        "id": "1", "question": "<b>?",
        "options": [{"text": "a", "voter_count": 0, "persistent_id": "o"}],
        "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
        "allows_multiple_answers": False, "allows_revoting": False, "members_only": False,
    },
}  # fmt: skip


class Typist:
    """Random texts a person might send, or a hostile client might."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._zawgyi = icu.Transliterator.createInstance("my-Zawgyi")

    def text(self) -> str:
        pick = self.rng.random()
        if pick < 0.03:
            return self._long()
        if pick < 0.12:
            return str(self._zawgyi.transliterate(self.rng.choice(_BURMESE)))
        if pick < 0.2:
            return self.rng.choice(_WORDS)
        return "".join(self._piece() for _ in range(self.rng.randint(1, 8)))

    def hostile(self) -> str:
        """A text with markup in it, certain to need escaping if it is ever quoted."""
        return self.rng.choice(_MARKUP[:6]) + self.text()[:40] + self.rng.choice(_MARKUP[:6])

    def _long(self) -> str:
        unit = self.rng.choice(["a", "あ", "😀", "<b>&", "\u202e", "\x00", "ab\n\n"])
        return (unit * (10_000 // len(unit) + 1))[:10_000]

    def _piece(self) -> str:
        kind = self.rng.randrange(9)
        if kind == 0:
            return self.rng.choice(_MARKUP)
        if kind == 1:
            return self.rng.choice(_BIDI) + self.rng.choice(_WORDS)
        if kind == 2:
            return "".join(self.rng.choices(_INVISIBLE + _CONTROL, k=self.rng.randint(1, 4)))
        if kind == 3:
            return self.rng.choice(_FORMATS + _INJECTIONS)
        if kind == 4:
            return self.rng.choice(_WORDS)
        low, high = self.rng.choice(_RANGES)
        return "".join(chr(self.rng.randint(low, high)) for _ in range(self.rng.randint(1, 12)))

    def junk(self) -> str:
        """Arguments after a command."""
        return self.rng.choice(["", "", " " + self.text(), "  x y z", "\n" + self.text()])

    def data(self) -> str:
        """Callback data a forging client might send (Telegram caps it at 64 bytes; we don't)."""
        pick = self.rng.randrange(6)
        if pick == 0:
            return "".join(
                chr(self.rng.randint(0x20, 0x2FF)) for _ in range(self.rng.randint(0, 70))
            )
        if pick == 1:
            return "a:" + "x" * self.rng.choice([1, 58, 62, 63, 64, 200])
        if pick == 2:
            return self.rng.choice(["a:", "a::", "a:status:", "c:", "c:nope", "f:", "s:", ":::"])
        if pick == 3:
            return f"f:{self.rng.choice(['status', 'x' * 40, 'x' * 41, 'r<b>', 'é'])}"
        if pick == 4:
            number = self.rng.choice(
                ["1", "0", "-1", "99999999999999999999", "x", "", "1.5", "²", "١", "𝟏", " 1"]
            )
            return f"s:{self.rng.choice(['take', 'back', 'close', 'nope'])}:{number}"
        return self.text()[:64]


# -- updates as Telegram would send them --------------------------------------------------------


class Updates:
    """Builds update dicts with fresh update, message and callback query ids."""

    def __init__(self) -> None:
        # Far from tests/auxil/fakes.py's ids, so scenes set with a Phone never collide with
        # these (a collision would be dropped as a redelivery).
        self._ids = iter(range(1 << 40, 1 << 62))

    def next_id(self) -> int:
        return next(self._ids)

    def message(
        self,
        user_id: int | None,
        chat: dict[str, Any],
        *,
        text: str | None = None,
        media: str | None = None,
        thread_id: int | None = None,
        language: str | None = "en",
        key: str = "message",
    ) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": self.next_id(), "date": int(time.time())}
        message["chat"] = chat
        if user_id is not None:
            message["from"] = _user(user_id, language)
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split(maxsplit=1)[0]) if text.strip() else 1
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if media is not None:
            message[media] = MEDIA[media]
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        if key.startswith("edited"):
            message["edit_date"] = int(time.time())
        return {"update_id": self.next_id(), key: message}

    def press(
        self,
        user_id: int,
        data: str,
        chat: dict[str, Any] | None,
        message_id: int,
        thread_id: int | None = None,
        language: str | None = "en",
    ) -> dict[str, Any]:
        query: dict[str, Any] = {
            "id": str(self.next_id()),
            "from": _user(user_id, language),
            "chat_instance": "ci",
            "data": data,
        }
        if chat is None:  # a button under an inline-mode message: no chat, no message
            query["inline_message_id"] = f"inline-{message_id}"
        else:
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "text": "…",
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Tsunagu"},
            }
            if thread_id is not None:
                message |= {"message_thread_id": thread_id, "is_topic_message": True}
            query["message"] = message
        return {"update_id": self.next_id(), "callback_query": query}

    def member(self, user_id: int, chat: dict[str, Any], status: str) -> dict[str, Any]:
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Tsunagu"}
        return {
            "update_id": self.next_id(),
            "my_chat_member": {
                "chat": chat,
                "from": _user(user_id, "en"),
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": bot},
                "new_chat_member": {"status": status, "user": bot, "until_date": 0},
            },
        }


def _user(user_id: int, language: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"<b>{NAME}</b>"}
    if language is not None:
        user["language_code"] = language
    return user


def private(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": f"<b>{NAME}</b>"}


def staff_chat(chat_id: int = STAFF_CHAT) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "<i>staff</i>", "is_forum": True}
