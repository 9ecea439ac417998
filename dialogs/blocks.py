"""Reusable pieces of replies: offices, the headquarters, documents, helplines, dates."""

from __future__ import annotations

from dialogs.content import Confidence, Content
from dialogs.content.model import Document, Helpline, Office, Phone
from dialogs.messages import N_, Data, Date, LanguageName, Msg, Seq, Term

__all__ = [
    "documents_block",
    "helplines_block",
    "honesty_blocks",
    "hq_block",
    "office_block",
    "prefecture_term",
]

INFO_CENTER = "isa_information_center"


def prefecture_term(content: Content, prefecture_id: str) -> Term | Data:
    """A prefecture's name in the recipient's language with its official Japanese name."""
    pref = content.prefecture(prefecture_id)
    if pref is None:
        return Data(prefecture_id)
    return Term(Msg(pref.label, context="prefecture"), pref.name_ja)


def office_block(content: Content, office: Office, applying: bool) -> tuple[Msg, ...]:
    """Name, address, phone and prefectures served; a warning when the address is unsure."""
    served = Seq(
        tuple(prefecture_term(content, p.id) for p in content.prefectures_served(office.id)),
        bullet="",
        separator=", ",
    )
    block = Msg.of(
        N_("<b>{name}</b>\n〒{postal_code} {address_ja}\n{address_en}\n{phone}\nServes: {served}"),
        name=Term(Msg(office.label, context="office"), office.name_ja),
        postal_code=Data(office.postal_code),
        address_ja=Data(office.address_ja),
        address_en=Data(office.address_en),
        phone=_phone_line(content, office),
        served=served,
    )
    notes = [block]
    if applying:  # branch offices take applications; forms are sent to the bureau itself
        notes.append(
            Msg(N_("You may also apply at a branch office (出張所) nearer to your home."))
        )
    if office.address_alternatives:  # no source is more credible: show every address
        notes.append(
            Msg.of(
                N_("⚠️ Sources differ on this address. Another source gives:\n{addresses}"),
                addresses=Seq(
                    tuple(
                        Data(f"{a.address_ja}\n  {a.address_en}")
                        for a in office.address_alternatives
                    )
                ),
            )
        )
    if office.provenance.confidence in _WEAK or office.address_alternatives:
        # The office's own phone may be unknown, so name both ways to confirm.
        notes.append(
            Msg.of(
                N_(
                    "⚠️ We could not fully verify this address. Before you go, confirm it with "
                    "the Immigration Information Center ({phone}) or on the official page: {url}"
                ),
                phone=Data(_info_center(content).phone),
                url=Data(content.offices_page),
            )
        )
    return tuple(notes)


_WEAK = (Confidence.LOW, Confidence.UNKNOWN)


def _phone_line(content: Content, office: Office) -> Msg:
    """The office's phone; the Information Center too when the number is missing or unsure."""
    phone = office.phone
    center = Data(_info_center(content).phone)
    if phone is None:
        return Msg.of(
            N_("Phone: not verified. Ask the Immigration Information Center: {phone}"),
            phone=center,
        )
    if office.phone_alternatives:  # sources disagree and none is more credible: show them all
        numbers = tuple(_number(p) for p in (phone, *office.phone_alternatives))
        return Msg.of(
            N_(
                "Phone: {phones} (sources differ). Or call the Immigration Information "
                "Center: {center}"
            ),
            phones=Seq(numbers, bullet="", separator=" / "),
            center=center,
        )
    if phone.provenance.confidence in _WEAK:
        return Msg.of(
            N_(
                "Phone: {phone} (may be out of date). Or call the Immigration Information "
                "Center: {center}"
            ),
            phone=_number(phone),
            center=center,
        )
    return Msg.of(N_("Phone: {phone}"), phone=_number(phone))


def _number(phone: Phone) -> Msg | Data:
    """A number, with the one to dial from IP phones and abroad (navi-dial cannot be)."""
    if phone.ip_number is None:
        return Data(phone.number)
    return Msg.of(
        N_("{phone} (from IP phones or abroad: {ip_phone})"),
        phone=Data(phone.number),
        ip_phone=Data(phone.ip_number),
    )


def _info_center(content: Content) -> Helpline:
    """The Immigration Information Center, the fallback wherever an office's phone is unsure."""
    return next(h for h in content.helplines if h.id == INFO_CENTER)


def hq_block(content: Content) -> Msg:
    """The headquarters desk's postal address, in Japanese as it goes on the envelope."""
    hq = content.programme.headquarters
    return Msg.of(
        N_("<b>{name}</b>\n〒{postal_code} {address_ja}\n{name_ja}\n({address_en} {postal_code})"),
        name=Msg(hq.label, context="office"),
        postal_code=Data(hq.postal_code),
        address_ja=Data(hq.address_ja),
        name_ja=Data(hq.name_ja),
        address_en=Data(hq.address_en),
    )


def documents_block(content: Content, document_ids: tuple[str, ...]) -> Msg:
    """The checklist for this person, with the caveat that the bureau may ask for more."""
    docs = [d for d in content.documents if d.id in document_ids]
    return Msg.of(
        N_(
            "<b>Documents to prepare</b>\n{items}\n\nThe bureau may ask for more documents; "
            "confirm with them. The fee is paid with a revenue stamp (収入印紙) when permission "
            "is granted; ask the bureau for the amount."
        ),
        items=Seq(tuple(_document_item(d) for d in docs)),
    )


def _document_item(doc: Document) -> Msg | Term:
    term = Term(Msg(doc.label, context="document"), doc.name_ja)
    if not doc.note:
        return term
    return Msg.of(
        N_("{document}\n   {note}"), document=term, note=Msg(doc.note, context="document")
    )


def helplines_block(content: Content) -> Msg:
    """Where to get advice by phone, with languages and whether a service may have ended."""
    return Msg.of(
        N_("<b>Where to get help</b>\n{items}"),
        items=Seq(tuple(_helpline_item(h) for h in content.helplines)),
    )


def _helpline_item(line: Helpline) -> Msg:
    item = Msg.of(
        N_("{name}: {phone} (weekdays {hours})\n   Languages: {languages}"),
        name=Term(Msg(line.label, context="helpline"), line.name_ja),
        phone=Data(line.phone),
        hours=Data(line.hours),
        languages=Seq(
            tuple(LanguageName(code, native=False) for code in line.languages),
            bullet="",
            separator=", ",
        ),
    )
    if line.still_operating is None:
        return Msg.of(
            N_("{item}\n   It started as a temporary service and may have ended."), item=item
        )
    return item


def honesty_blocks(content: Content) -> tuple[Msg, ...]:
    """The measure's dates, that the bureau decides, and when this was verified."""
    prog = content.programme
    center = next(h for h in content.helplines if h.id == INFO_CENTER)
    dates = Msg.of(
        N_(
            "<b>Please note</b>\nThis was a temporary COVID-19 measure. It started on "
            "{started}. People who finished training and could not go home were included from "
            "{from_date}. This option was closed to new applicants whose period of stay ended "
            "after {closed_date}. We found no official end date for the option for people who "
            "lost their job."
        ),
        started=Date(prog.started),
        from_date=Date(prog.cannot_return_from),
        closed_date=Date(prog.cannot_return_closed_after),
    )
    closed = Msg(N_("New applications are very likely no longer accepted."))
    decides = Msg.of(
        N_(
            "This is guidance, not a decision: the immigration bureau decides. Confirm what "
            "applies to you today with the Immigration Information Center: {phone} (weekdays "
            "{hours}).\nSources last compared on: {verified}\nOfficial page: {url}"
        ),
        phone=Data(center.phone),
        hours=Data(center.hours),
        verified=Date(prog.verified_on),
        url=Data(prog.official_url),
    )
    return (dates, closed, decides) if prog.presented_as_closed else (dates, decides)
