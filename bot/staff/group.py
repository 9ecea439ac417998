"""The staff group, staff side: Take / Hand back / Close, relaying, notes and canned replies.

Only staff on the roster act here; anyone else's presses and commands are refused and logged
(by Telegram user id). Messages in a case's topic reach the applicant; ``/note …`` stays in
the group.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace

from telegram import CallbackQuery, Message, Update

from bot.conversation import Conversations, Delivery, StaffPosts
from bot.i18n.render import render, to_plain
from bot.staff.desk import StaffDesk
from bot.staff.texts import canned_list
from bot.storage import Case, CaseStatus, Outgoing, StaffMember
from bot.storage.payloads import NO_CHAT, Copy, Send
from dialogs.canned import CANNED, Canned, canned_reply, canned_versions
from dialogs.engine import Step
from dialogs.events import StaffMove, StaffMoved, command_word
from dialogs.handoff import hours_msg
from dialogs.messages import N_, Data, LanguageName, Msg, Param, Seq, Term
from dialogs.replies import Reply, ReplyKind
from dialogs.session import Owner
from dialogs.states import State

__all__ = ["StaffGroup"]

logger = logging.getLogger(__name__)

_MOVES = {"take": StaffMove.TAKEN, "back": StaffMove.HANDED_BACK, "close": StaffMove.CLOSED}
_FINISHED = {"back": CaseStatus.HANDED_BACK, "close": CaseStatus.CLOSED}
_STATUS_ACTION = {status: action for action, status in _FINISHED.items()}


class StaffGroup:
    """Handles updates from the staff supergroup."""

    def __init__(
        self, desk: StaffDesk, conversations: Conversations, delivery_for: DeliveryFactory
    ) -> None:
        self.desk = desk
        self.conversations = conversations  # staff messages join the applicant's turns
        self.delivery_for = delivery_for  # the applicant's chat id -> their Delivery

    async def on_update(self, update: Update) -> None:
        """One update from the staff group."""
        person = update.effective_user
        if person is None or person.is_bot:
            return
        member = await self.desk.roster.get(person.id)
        if update.callback_query is not None:
            await self._button(update.callback_query, member)
        elif update.message is not None:
            if member is None:
                logger.warning("refused non-staff message user=%s", person.id)
                return
            await self._message(update.update_id, update.message, member)

    # -- buttons --------------------------------------------------------------------------------

    async def _button(self, query: CallbackQuery, member: StaffMember | None) -> None:
        action, case_id = _parse(query.data or "")
        if member is None:
            logger.warning("refused non-staff button user=%s", query.from_user.id)
            await self._answer(
                query, N_("Only staff on the roster can do this."), self.desk.locale
            )
            return
        case = await self.desk.book.get(case_id) if action else None
        if case is None or action is None:
            await self._answer(query, N_("This button is no longer valid."), member.locale)
            return
        if action == "take":
            await self._take(query, case, member)
            return
        if not await self.desk.book.finish(case.id, _FINISHED[action], self.desk.clock()):
            await self._catch_up(case)  # finished before a crash, the applicant not yet told
            await self._answer(query, N_("This case is not open any more."), member.locale)
            return
        await self._move(case, _MOVES[action])
        done = N_("Case handed back to the bot.") if action == "back" else N_("Case closed.")
        logger.info("case %s case=%s staff=%s", action, case.id, member.telegram_id)
        await self._answer(query, done, member.locale)

    async def _take(self, query: CallbackQuery, case: Case, member: StaffMember) -> None:
        if await self.desk.book.take(case.id, member.telegram_id, self.desk.clock()):
            logger.info("case taken case=%s staff=%s", case.id, member.telegram_id)
            await self._move(case, StaffMove.TAKEN)
            await self._answer(query, N_("You took this case."), member.locale)
            return
        current = await self.desk.book.get(case.id)
        if current is not None and current.staff_id == member.telegram_id:
            # Theirs already: a crash may have come between the take and telling the applicant
            # (two transactions), and this is Telegram delivering the press again.
            await self._catch_up(current)
            await self._answer(query, N_("You took this case."), member.locale)
            return
        taker = current.staff_id if current else None
        holder = await self.desk.roster.get(taker) if taker else None
        if current is not None and current.status is CaseStatus.TAKEN and holder is not None:
            text = Msg.of(N_("{name} already took this case."), name=_data(holder.name))
        else:
            text = Msg(N_("This case is not open any more."))
        await self._answer(query, text, member.locale)

    async def _catch_up(self, case: Case) -> None:
        """Tell the applicant a move a crash kept from them: the case moved, their chat not."""
        current = await self.desk.book.get(case.id)
        session = await self.desk.store.load(case.user)
        if current is None or session is None or not session.owner.held:
            return  # erased, or already back with the bot
        if current.status is CaseStatus.TAKEN and session.owner is Owner.WAITING:
            await self._move(current, StaffMove.TAKEN)
        elif not current.status.open and await self.desk.book.open_case_of(case.user) is None:
            await self._move(current, _MOVES[_STATUS_ACTION[current.status]])

    async def _move(self, case: Case, move: StaffMove) -> None:
        await self.conversations.handle(
            case.user, StaffMoved(move), delivery=self.delivery_for(case.chat_id)
        )

    async def _answer(self, query: CallbackQuery, text: str | Msg, locale: str) -> None:
        msg = text if isinstance(text, Msg) else Msg(text)
        rendered = render(Reply(ReplyKind.NOTICE, (msg,)), self.desk.catalogs.translator(locale))
        # An alert is plain text: the HTML's tags and entities would show as typed.
        await self.desk.messenger.answer(query.id, to_plain(rendered.text))

    # -- messages -------------------------------------------------------------------------------

    async def _message(self, update_id: int, message: Message, member: StaffMember) -> None:
        thread = message.message_thread_id if message.is_topic_message else None
        case = await self.desk.book.by_thread(thread) if thread is not None else None
        if case is None:
            return  # the general chat: staff talking among themselves
        text = message.text or ""
        command, rest = command_word(text), text.partition(" ")[2]
        if command == "note":
            return  # internal: stays in the topic
        if command == "reply":
            await self._canned(update_id, case, member, rest.strip())
            return
        # writing to a waiting applicant takes the case
        if case.status is CaseStatus.WAITING and await self.desk.book.take(
            case.id, member.telegram_id, self.desk.clock()
        ):
            await self._move(case, StaffMove.TAKEN)
            case = await self.desk.book.get(case.id) or case
        elif case.status is CaseStatus.TAKEN:
            await self._catch_up(case)
        if case.status.open:
            await self.conversations.send(
                case.user,
                [Outgoing(_relayed(case, message))],
                delivery=self.delivery_for(case.chat_id),
                update_id=update_id,
            )
            return
        notice = N_("This case is not open: the applicant is with the bot. Nothing was sent.")
        await self._tell(update_id, case, Msg(notice), member.locale)

    async def _canned(self, update_id: int, case: Case, member: StaffMember, key: str) -> None:
        session = await self.desk.store.load(case.user)
        answers = session.effective_answers() if session else {}
        content = self.desk.engine.content
        # At the result itself, not merely once there: a person who went back from a result
        # keeps its outcome, but their answers no longer lead to it (a field not chosen yet).
        finished = session is not None and session.state is State.RESULT
        if key not in CANNED:  # the list says which keys have a version for this very case
            listing = canned_list(canned_versions(answers, content, finished))
            await self._post(update_id, case, listing, member.locale)
            return
        if session is None:
            return
        canned = (
            Canned((hours_msg(self.desk.hours.shown()),), specific=False)
            if key == "hours"
            else canned_reply(key, answers, content, finished)
        )
        reply = Reply(ReplyKind.NOTICE, canned.texts)
        delivery = self.delivery_for(case.chat_id)
        outgoing = delivery.prepare(case.user, Step(session, (reply,)))
        missing = self.desk.catalogs.untranslated(session.locale, _keys(reply))
        seen = _report(reply, session.locale, missing)
        if CANNED[key].specific is not None and not canned.specific:  # say which version went
            general = N_(
                "This was the general version: the applicant's answers do not fix it yet."
            )
            seen = replace(seen, texts=(*seen.texts, Msg(general)))
        posts: StaffPosts = [(case.id, self.desk.text_post(seen, member.locale))]
        await self.conversations.send(
            case.user, outgoing, delivery=delivery, update_id=update_id, posts=posts
        )

    async def _tell(self, update_id: int, case: Case, msg: Msg, locale: str) -> None:
        await self._post(update_id, case, Reply(ReplyKind.NOTICE, (msg,)), locale)

    async def _post(self, update_id: int, case: Case, reply: Reply, locale: str) -> None:
        posts: StaffPosts = [(case.id, self.desk.text_post(reply, locale))]
        await self.conversations.send(
            case.user,
            [],
            delivery=self.delivery_for(case.chat_id),
            update_id=update_id,
            posts=posts,
        )


DeliveryFactory = Callable[[int], Delivery]


def _relayed(case: Case, message: Message) -> Copy | Send:
    """A copy of the staff member's message; its text for a web visitor (no chat to copy to)."""
    if case.chat_id == NO_CHAT:
        return Send(NO_CHAT, html.escape(message.text or message.caption or "", quote=False))
    return Copy(case.chat_id, message.chat_id, message.message_id)


# Case ids fit SQL's 64-bit integers with room to spare; a forged longer number would overflow.
_MAX_CASE_DIGITS = 18


def _parse(data: str) -> tuple[str | None, int]:
    """``s:take:12`` -> ("take", 12); anything else -> (None, 0)."""
    kind, action, number = [*data.split(":"), "", ""][:3]
    # isascii: str.isdigit also accepts "²" and other digits int() refuses or reads otherwise
    digits = number.isascii() and number.isdigit() and len(number) <= _MAX_CASE_DIGITS
    if kind != "s" or action not in _MOVES or not digits:
        return None, 0
    return action, int(number)


def _data(text: str) -> Data:
    return Data(text)


def _report(reply: Reply, locale: str, missing: bool) -> Reply:
    """What the staff member sees of a canned reply: the same text in their own language."""
    head = Msg.of(N_("Sent to the applicant in {language}:"), language=LanguageName(locale, False))
    texts = [head, *reply.texts]
    if missing:
        texts.append(
            Msg.of(
                N_(
                    "⚠️ Part of this text is not translated into {language} yet: the applicant "
                    "received those parts in English."
                ),
                language=LanguageName(locale, False),
            )
        )
    return Reply(ReplyKind.NOTICE, tuple(texts))


def _keys(reply: Reply) -> Iterator[tuple[str | None, str]]:
    """Every (context, msgid) in a reply, nested ones included."""
    stack: list[Param] = list(reply.texts)
    while stack:
        item = stack.pop()
        if isinstance(item, Msg):
            yield item.context, item.msgid
            stack.extend(item.params.values())
        elif isinstance(item, Seq):
            stack.extend(item.items)
        elif isinstance(item, Term):
            stack.append(item.label)
