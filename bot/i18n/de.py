"""German messages. Keys are shared with `en.py`; placeholders use str.format names."""

MONTHS = (
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
)  # fmt: skip

MESSAGES: dict[str, str] = {
    "alert.source": "Quelle: {source}",
    "alert.source_dated": "Quelle: {source}, {published}",
    "alert.matched": "Treffer: {words}",
    "alert.also": "Auch berichtet von: {names}",
    # Chat-Befehle (bot/commands). Klartext: die Plattform maskiert ihn.
    "cmd.throttled": "Nicht so schnell: zu viele Befehle. Ich antworte wieder in {seconds} s.",
    "cmd.error.unexpected": (
        "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuche es später noch einmal."
    ),
    "cmd.error.unknown_command": (
        "Den Befehl /{command} kenne ich nicht. Sende /help für die Liste."
    ),
    "cmd.error.not_chat_admin": (
        "Nur die Administratoren dieses Chats können seine Abos und Einstellungen ändern."
    ),
    "cmd.error.not_bot_admin": (
        "Nur die Betreiber dieses Bots können Quellen hinzufügen oder entfernen."
    ),
    "cmd.start.greeting": "Hallo! Ich bin newsbot.",
    "cmd.greeting": (
        "Hallo! Ich bin newsbot: Ich poste kurze Zusammenfassungen von Nachrichten zu den "
        "Stichwörtern dieses Chats. Admins starten mit /subscribe xiaomi; /help zeigt alles."
    ),
    "notice.source_paused": (
        "Der Feed {name} ({url}) ist {failures}-mal nacheinander fehlgeschlagen und pausiert. "
        "Letzter Fehler: {error}"
    ),
    "cmd.help": (
        "Ich beobachte Nachrichten-Feeds nach deinen Stichwörtern und poste zu jedem passenden "
        "Artikel eine kurze Zusammenfassung in diesen Chat.\n"
        "\n"
        "Befehle:\n"
        "/subscribe <Suche> (/sub): Meldungen zu einer Suche\n"
        "/unsubscribe <ID|Suche|all> (/unsub): Meldungen beenden\n"
        "/list: die Abos dieses Chats\n"
        "/pause [ID], /resume [ID]: Meldungen pausieren und fortsetzen\n"
        "/preview <Suche>: aktuelle Artikel, die eine Suche fände\n"
        "/language de|en (/lang): Sprache der Antworten und Meldungen\n"
        "/group on|off: eine Nachricht je Meldung, ergänzt um weitere Quellen (on), "
        "oder eine je Artikel (off)\n"
        "/sources: die beobachteten Feeds\n"
        "/status: Feeds, letzte Abfrage, Warteschlange\n"
        "/addsource <URL>, /removesource <ID>: Feeds verwalten (nur Bot-Betreiber)\n"
        "/timezone <Zone>: Zeitzone der Uhrzeiten (z. B. Europe/Berlin)\n"
        "/digest off|hourly|daily HH:MM|weekly <Tag> HH:MM [mit Abo-ID davor]: Sammelmeldungen\n"
        "/quiet HH:MM-HH:MM|off: Ruhezeiten\n"
        "/limit N|off: höchstens N Meldungen pro Stunde\n"
        "\n"
        "Suchen:\n"
        "xiaomi: ein Wort (findet auch Xiaomis, Xiaomi-CEO)\n"
        '"lei jun": eine Wortfolge\n'
        "redmi*: Wörter, die mit redmi beginnen\n"
        "xiaomi OR huawei: eines der Wörter\n"
        "xiaomi -gerücht: ohne ein Wort\n"
        "xiaomi lang:de site:heise.de intitle:ultra: Filter"
    ),
    "cmd.describe.start": "Was dieser Bot macht",
    "cmd.describe.help": "Befehle und Suchsyntax",
    "cmd.describe.subscribe": "Meldungen zu einer Suche abonnieren",
    "cmd.describe.unsubscribe": "Meldungen beenden: ID, Suche oder all",
    "cmd.describe.list": "Die Abos dieses Chats",
    "cmd.describe.language": "Sprache der Antworten und Meldungen: de oder en",
    "cmd.describe.group": "Eine Nachricht je Meldung (on) oder je Artikel (off)",
    "cmd.describe.pause": "Meldungen pausieren (alle oder eine ID)",
    "cmd.describe.resume": "Meldungen fortsetzen (alle oder eine ID)",
    "cmd.describe.preview": "Aktuelle Artikel, die eine Suche fände",
    "cmd.describe.sources": "Die beobachteten Feeds",
    "cmd.describe.addsource": "Feed hinzufügen (Bot-Betreiber)",
    "cmd.describe.removesource": "Feed entfernen (Bot-Betreiber)",
    "cmd.describe.status": "Feeds, letzte Abfrage, Warteschlange",
    "cmd.subscribe.usage": (
        "Sag mir, worauf ich achten soll, zum Beispiel:\n"
        "/subscribe xiaomi\n"
        '/subscribe "lei jun" OR "12S Ultra"\n'
        "/subscribe xiaomi lang:de -gerücht\n"
        "Sende /help für die ganze Suchsyntax."
    ),
    "cmd.subscribe.done": "Abonniert (#{id}): {query}\nNeue passende Artikel erscheinen hier.",
    "cmd.subscribe.duplicate": "Dieser Chat hat diese Suche schon abonniert (#{id}): {query}",
    "cmd.subscribe.quota": (
        "Dieser Chat hat seine Grenze von {limit} Abos erreicht. "
        "Entferne zuerst eines mit /unsubscribe."
    ),
    "cmd.query.invalid": "Diese Suche verstehe ich nicht: {reason} (bei Zeichen {position}).",
    "cmd.query.too_long": "Diese Suche ist {length} Zeichen lang; erlaubt sind {limit}.",
    "cmd.query.empty": "die Suche ist leer",
    "cmd.query.missing_quote": "ein schließendes Anführungszeichen fehlt",
    "cmd.query.unbalanced": "eine Klammer wird nicht geschlossen oder nicht geöffnet",
    "cmd.query.empty_parentheses": "zwischen den Klammern steht nichts",
    "cmd.query.term_after": "nach {operator} fehlt ein Wort",
    "cmd.query.term_before": "vor {operator} fehlt ein Wort",
    "cmd.query.unknown_filter": (
        "den Filter {filter} kenne ich nicht (bekannt: intitle:, lang:, site:)"
    ),
    "cmd.query.filter_value": "der Filter {filter} braucht einen Wert",
    "cmd.query.wildcard": "ein * darf nur am Ende eines Wortes stehen",
    "cmd.query.empty_phrase": "zwischen den Anführungszeichen steht kein Wort",
    "cmd.query.no_letters": "ein Wort braucht Buchstaben oder Ziffern",
    "cmd.query.bad_language": "{value} ist kein Sprachcode (z. B. lang:de oder lang:en)",
    "cmd.query.bad_domain": "{value} ist keine Domain (z. B. site:heise.de)",
    "cmd.query.only_exclusions": (
        "eine Suche braucht mindestens ein gesuchtes Wort, nicht nur Ausschlüsse"
    ),
    "cmd.query.too_deep": "Klammern oder Verneinungen sind tiefer als {limit} Ebenen verschachtelt",
    "cmd.query.other": "{reason}",
    "cmd.unsubscribe.usage": (
        "Sag mir, was ich beenden soll: /unsubscribe 12 (eine ID aus /list), "
        "/unsubscribe xiaomi (die Suche) oder /unsubscribe all."
    ),
    "cmd.unsubscribe.done": "Abo beendet (#{id}): {query}",
    "cmd.unsubscribe.all_done": "{count} Abo(s) dieses Chats entfernt.",
    "cmd.unsubscribe.all_none": "Es gab nichts zu entfernen.",
    "cmd.unsubscribe.operator_kept": (
        "{count} Abo(s) hat der Betreiber des Bots eingerichtet; nur er kann sie entfernen, "
        "aber du kannst sie mit /pause anhalten."
    ),
    "cmd.unsubscribe.operator": (
        "Abo #{id} hat der Betreiber des Bots eingerichtet, darum kann ich es hier nicht "
        "entfernen. Du kannst es mit /pause {id} anhalten oder den Betreiber fragen."
    ),
    "cmd.unsubscribe.no_query": "Dieser Chat hat kein Abo mit der Suche {query}. Siehe /list.",
    "cmd.subscription.not_found": "Dieser Chat hat kein Abo #{id}. Siehe /list.",
    "cmd.list.header": "Abos dieses Chats ({count} von höchstens {limit}):",
    "cmd.list.empty": "Dieser Chat hat noch keine Abos. Fang mit /subscribe <Suche> an.",
    "cmd.list.paused": "pausiert",
    "cmd.list.operator": "vom Betreiber",
    "cmd.list.thread": "im Thread {thread}",
    "cmd.language.usage": (
        "Die Sprache dieses Chats ist {current}. Ändern mit /language de oder /language en."
    ),
    "cmd.language.done": "Ab jetzt antworte ich und poste Meldungen auf Deutsch.",
    "cmd.group.usage": (
        "Sende /group on für eine Nachricht je Meldung (weitere Berichte werden ergänzt) "
        "oder /group off für eine Nachricht je Artikel."
    ),
    "cmd.group.current_on": (
        "Meldungen werden gebündelt: weitere Berichte werden der Nachricht hinzugefügt. "
        "/group off schickt jeden Artikel einzeln."
    ),
    "cmd.group.current_off": (
        "Jeder Artikel kommt als eigene Nachricht. /group on bündelt sie je Meldung."
    ),
    "cmd.group.on": "Erledigt: eine Nachricht je Meldung; Berichte anderer Medien werden ergänzt.",
    "cmd.group.off": "Erledigt: ab jetzt bekommt jeder passende Artikel eine eigene Nachricht.",
    "cmd.pause.usage": (
        "Sende /pause, um alle Abos dieses Chats zu pausieren, oder /pause 12 für eines."
    ),
    "cmd.pause.done": "{count} Abo(s) pausiert. /resume macht mit neuen Artikeln weiter.",
    "cmd.pause.none": "Es gibt nichts zu pausieren.",
    "cmd.resume.usage": (
        "Sende /resume, um alle Abos dieses Chats fortzusetzen, oder /resume 12 für eines."
    ),
    "cmd.resume.done": (
        "{count} Abo(s) fortgesetzt. Du bekommst Artikel, die ab jetzt erscheinen."
    ),
    "cmd.resume.none": "Es gibt nichts fortzusetzen.",
    "cmd.preview.usage": "Nenne mir eine Suche zum Ausprobieren, zum Beispiel: /preview xiaomi",
    "cmd.preview.header": "Die neuesten von {count} passenden Artikeln der letzten {days} Tage:",
    "cmd.preview.none": "Kein Artikel der letzten {days} Tage passt zu dieser Suche.",
    "cmd.sources.header": "Beobachtete Feeds ({count}):",
    "cmd.sources.empty": "Ich beobachte noch keine Feeds.",
    "cmd.sources.every": "alle {minutes} Min.",
    "cmd.sources.paused": "pausiert",
    "cmd.sources.failing": "gestört ({count}-mal in Folge)",
    "cmd.sources.from_chat": "in einem Chat hinzugefügt",
    "cmd.addsource.usage": (
        "Sende die Adresse eines Feeds, zum Beispiel: /addsource "
        "https://www.heise.de/rss/heise-atom.xml"
    ),
    "cmd.addsource.done": "Quelle #{id} hinzugefügt: {name} ({url}). Sie wird gleich abgefragt.",
    "cmd.addsource.duplicate": "Dieser Feed wird schon beobachtet (#{id}): {url}",
    "cmd.addsource.resumed": (
        "Quelle #{id} ({name}) war nach Fehlern pausiert; sie wird jetzt wieder abgefragt."
    ),
    "cmd.addsource.malformed": "Das ist keine gültige Webadresse.",
    "cmd.addsource.bad_scheme": "Nur Adressen mit http:// und https:// können hinzugefügt werden.",
    "cmd.addsource.credentials": (
        "Adressen mit Benutzername oder Passwort können nicht hinzugefügt werden."
    ),
    "cmd.addsource.no_host": "Diese Adresse hat keinen Hostnamen.",
    "cmd.addsource.not_public": (
        "{host} ist keine öffentliche Internetadresse und kann nicht aus einem Chat "
        "hinzugefügt werden."
    ),
    "cmd.addsource.blocked": (
        "{host} führt zu {address}, keiner öffentlichen Internetadresse; die Quelle kann "
        "nicht aus einem Chat hinzugefügt werden."
    ),
    "cmd.removesource.usage": (
        "Sende die ID einer Quelle aus /sources, zum Beispiel: /removesource 3"
    ),
    "cmd.removesource.done": "Quelle #{id} entfernt: {name}",
    "cmd.removesource.not_found": "Es gibt keine Quelle #{id}. Siehe /sources.",
    "cmd.removesource.config": (
        "Quelle #{id} ({name}) steht in der Konfigurationsdatei; nur der Betreiber kann sie dort "
        "entfernen."
    ),
    "cmd.status.header": "newsbot-Status",
    "cmd.status.sources": "Feeds: {active} aktiv, {paused} pausiert, {failing} gestört",
    "cmd.status.failing": "{name}: {count} Fehler in Folge, zuletzt: {error}",
    "cmd.status.last_poll": "Letzte Abfrage: {time}",
    "cmd.status.never_polled": "Letzte Abfrage: noch keine",
    "cmd.status.queue": "Meldungen in der Warteschlange: {depth}",
    "cmd.status.chat": "Dieser Chat: {active} Abo(s), davon {paused} pausiert",
    # Discord (bot/platforms/discord): Knöpfe, Embed-Beschriftungen, Optionen der Slash-Befehle.
    "dc.button.pause": "Pausieren",
    "dc.button.unsubscribe": "Abbestellen",
    "dc.embed.matched": "Treffer",
    "dc.option_name.query": "suchanfrage",
    "dc.option_name.target": "ziel",
    "dc.option_name.language": "sprache",
    "dc.option_name.id": "id",
    "dc.option_name.url": "adresse",
    "dc.option_name.switch": "schalter",
    "dc.option.group": "on: eine Nachricht je Meldung, off: eine je Artikel",
    "dc.option.subscribe": 'Worauf ich achten soll, z. B. xiaomi OR "lei jun"',
    "dc.option.unsubscribe": "Eine Abo-ID aus /list, die Suchanfrage oder all",
    "dc.option.language": "de (Deutsch) oder en (English)",
    "dc.option.pause": "Eine Abo-ID aus /list (leer: alle)",
    "dc.option.resume": "Eine Abo-ID aus /list (leer: alle)",
    "dc.option.preview": "Die Suchanfrage zum Ausprobieren",
    "dc.option.addsource": "Die Adresse des Feeds (http oder https)",
    "dc.option.removesource": "Eine Quellen-ID aus /sources",
    # Telegram (bot/platforms/telegram).
    "tg.button.pause": "⏸ Pausieren",
    "tg.button.unsubscribe": "✖ Abbestellen",
    "tg.button.expired": "Diese Schaltfläche funktioniert nicht mehr.",
    "tg.description": (
        "Ich beobachte Nachrichten-Feeds auf deine Stichwörter und poste zu jedem passenden "
        "Artikel eine kurze Zusammenfassung, in privaten Chats, Gruppen, Forenthemen und "
        "Kanälen. Fang mit /subscribe xiaomi an; /help zeigt alles."
    ),
    "tg.short_description": "Nachrichten zu deinen Stichwörtern, auf wenige Sätze gekürzt.",
    "tg.manage.for": "Für {chat}:",
    "tg.manage.not_found": (
        "Ich finde den Chat {chat} nicht. Prüfe den Namen und füge mich dort zuerst hinzu "
        "(in einem Kanal: als Administrator)."
    ),
    "tg.manage.not_admin": "Nur Administratoren von {chat} können dessen Abos verwalten.",
    "tg.manage.cannot_post": (
        "Ich kann in {chat} nicht posten. Mach mich dort zum Administrator mit dem Recht, "
        "Nachrichten zu senden, und versuche es dann noch einmal."
    ),
    # Zustellung (issue 12): Zeitzone, Sammelmeldungen, Ruhezeiten, Obergrenze, Übersetzung.
    "cmd.describe.timezone": "Zeitzone der Uhrzeiten, z. B. Europe/Berlin",
    "cmd.describe.digest": "Sammelmeldung: off, hourly, daily HH:MM, weekly <Tag> HH:MM",
    "cmd.describe.quiet": "Ruhezeiten ohne Meldungen, z. B. 22:00-07:00, oder off",
    "cmd.describe.limit": "Höchstens N Meldungen pro Stunde, oder off",
    "cmd.timezone.current": "Dieser Chat zeigt Uhrzeiten in {zone} (gerade {now}). "
    "Ändern mit /timezone Europe/Berlin.",
    "cmd.timezone.done": "Ab jetzt zeige ich Uhrzeiten in {zone} (gerade {now}).",
    "cmd.timezone.unknown": (
        "Die Zeitzone {name} kenne ich nicht. Nimm einen IANA-Namen wie Europe/Berlin, "
        "Europe/Vienna oder America/New_York."
    ),
    "cmd.timezone.suggest": "Die Zeitzone {name} kenne ich nicht. Meintest du {suggestion}?",
    "cmd.schedule.bad_time": "Uhrzeiten schreibe bitte als HH:MM, zum Beispiel 08:00 oder 22:30.",
    "cmd.schedule.bad_weekday": (
        "Den Wochentag kenne ich nicht. Schreibe ihn aus oder kurz, z. B. montag, mo, monday."
    ),
    "cmd.digest.usage": (
        "So geht es: /digest daily 08:00 (täglich), /digest weekly montag 08:00 (wöchentlich), "
        "/digest hourly (stündlich) oder /digest off (jede Meldung sofort). "
        "Für ein einzelnes Abo die ID davor: /digest 3 daily 08:00."
    ),
    "cmd.digest.current": "Meldungen dieses Chats: {schedule}.",
    "cmd.digest.current_subscription": "Abo #{id} ({query}): {schedule}",
    "cmd.digest.done": "Meldungen dieses Chats ab jetzt: {schedule}.",
    "cmd.digest.done_subscription": "Meldungen von Abo #{id} ({query}) ab jetzt: {schedule}.",
    "cmd.digest.off": "jede sofort",
    "cmd.digest.hourly": "stündlich gesammelt",
    "cmd.digest.daily": "täglich um {time} gesammelt",
    "cmd.digest.weekly": "jeden {weekday} um {time} gesammelt",
    "cmd.quiet.usage": (
        "So geht es: /quiet 22:00-07:00 (in der Zeitzone dieses Chats) oder /quiet off."
    ),
    "cmd.quiet.empty": "Anfang und Ende der Ruhezeit sind gleich; nimm zwei verschiedene Zeiten.",
    "cmd.quiet.current": "Ruhezeit dieses Chats: {start} bis {end} ({zone}).",
    "cmd.quiet.none": "Dieser Chat hat keine Ruhezeit. Einstellen mit /quiet 22:00-07:00.",
    "cmd.quiet.done": (
        "Ruhezeit ab jetzt {start} bis {end} ({zone}). Meldungen aus dieser Zeit kommen an "
        "ihrem Ende, ab vier Stück als eine Sammelmeldung."
    ),
    "cmd.quiet.off": "Keine Ruhezeit mehr: Meldungen kommen rund um die Uhr.",
    "cmd.limit.usage": (
        "So geht es: /limit 10 (höchstens 10 Meldungen pro Stunde, 1 bis 1000) oder /limit off."
    ),
    "cmd.limit.current": "Dieser Chat bekommt höchstens {count} Meldungen pro Stunde.",
    "cmd.limit.none": "Dieser Chat hat keine Obergrenze. Einstellen mit /limit 10.",
    "cmd.limit.done": (
        "Ab jetzt höchstens {count} Meldungen pro Stunde; weitere kommen gesammelt in der "
        "nächsten Stunde, keine geht verloren."
    ),
    "cmd.limit.off": "Keine Obergrenze mehr.",
    "digest.heading_topic": "Ihre {topic}-Nachrichten vom {day}",
    "digest.heading": "Ihre Nachrichten vom {day}",
    "translation.from": "übersetzt aus dem {language}",
    "translation.from_other": "übersetzt aus: {language}",
    "translation.original": "Original: {title}",
    "dc.option_name.zone": "zeitzone",
    "dc.option_name.schedule": "zeitplan",
    "dc.option_name.hours": "zeiten",
    "dc.option_name.count": "anzahl",
    "dc.option.timezone": "Ein IANA-Name wie Europe/Berlin (leer: aktuelle zeigen)",
    "dc.option.digest": "off, hourly, daily 08:00, weekly montag 08:00; davor eine Abo-ID",
    "dc.option.quiet": "Zum Beispiel 22:00-07:00, oder off (leer: aktuelle zeigen)",
    "dc.option.limit": "Meldungen pro Stunde, oder off (leer: aktuelle zeigen)",
}
