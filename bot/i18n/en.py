"""English messages. Keys are shared with `de.py`; placeholders use str.format names."""

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

MESSAGES: dict[str, str] = {
    "alert.source": "Source: {source}",
    "alert.source_dated": "Source: {source}, {published}",
    "alert.matched": "Matched: {words}",
    "alert.also": "Also reported by: {names}",
    # Chat commands (bot/commands). Plain text: the platform escapes it.
    "cmd.throttled": "Slow down: too many commands. I will answer again in {seconds} s.",
    "cmd.error.unexpected": "Sorry, something went wrong on my side. Please try again later.",
    "cmd.error.unknown_command": "I don't know the command /{command}. Send /help for the list.",
    "cmd.error.not_chat_admin": (
        "Only the administrators of this chat can change its subscriptions and settings."
    ),
    "cmd.error.not_bot_admin": "Only the operators of this bot can add or remove sources.",
    "cmd.start.greeting": "Hello! I'm newsbot.",
    "cmd.greeting": (
        "Hello! I'm newsbot: I post short summaries of news that match this chat's "
        "keywords. An administrator can start with /subscribe xiaomi; /help lists everything."
    ),
    "notice.source_paused": (
        "The feed {name} ({url}) has failed {failures} times in a row and is paused. "
        "Last error: {error}"
    ),
    "cmd.help": (
        "I watch news feeds for your keywords and post a short summary of every matching "
        "article to this chat.\n"
        "\n"
        "Commands:\n"
        "/subscribe <query> (/sub): alerts for a query\n"
        "/unsubscribe <id|query|all> (/unsub): stop alerts\n"
        "/list: this chat's subscriptions\n"
        "/pause [id], /resume [id]: pause and resume alerts\n"
        "/preview <query>: recent articles a query would match\n"
        "/language de|en (/lang): language of replies and alerts\n"
        "/group on|off: one message per story, edited as other outlets report it (on), "
        "or one per article (off)\n"
        "/sources: the feeds I watch\n"
        "/status: feeds, last poll, queue\n"
        "/addsource <url>, /removesource <id>: manage feeds (bot operators only)\n"
        "/timezone <zone>: time zone of times shown (e.g. Europe/Berlin)\n"
        "/digest off|hourly|daily HH:MM|weekly <day> HH:MM [id first]: digests\n"
        "/quiet HH:MM-HH:MM|off: quiet hours\n"
        "/limit N|off: at most N alerts per hour\n"
        "\n"
        "Queries:\n"
        "xiaomi: a word (also finds Xiaomis, Xiaomi-CEO)\n"
        '"lei jun": a phrase\n'
        "redmi*: words starting with redmi\n"
        "xiaomi OR huawei: either word\n"
        "xiaomi -rumor: without a word\n"
        "xiaomi lang:de site:heise.de intitle:ultra: filters"
    ),
    "cmd.describe.start": "What this bot does",
    "cmd.describe.help": "Commands and query syntax",
    "cmd.describe.subscribe": "Get alerts for a query",
    "cmd.describe.unsubscribe": "Stop alerts: an id, a query or all",
    "cmd.describe.list": "This chat's subscriptions",
    "cmd.describe.language": "Language of replies and alerts: de or en",
    "cmd.describe.group": "One message per story (on) or per article (off)",
    "cmd.describe.pause": "Pause alerts (all, or one id)",
    "cmd.describe.resume": "Resume alerts (all, or one id)",
    "cmd.describe.preview": "Recent articles a query would match",
    "cmd.describe.sources": "The feeds being watched",
    "cmd.describe.addsource": "Add a feed (bot operators)",
    "cmd.describe.removesource": "Remove a feed (bot operators)",
    "cmd.describe.status": "Feeds, last poll, queue",
    "cmd.subscribe.usage": (
        "Tell me what to watch for, for example:\n"
        "/subscribe xiaomi\n"
        '/subscribe "lei jun" OR "12S Ultra"\n'
        "/subscribe xiaomi lang:de -rumor\n"
        "Send /help for the whole query syntax."
    ),
    "cmd.subscribe.done": "Subscribed (#{id}): {query}\nNew matching articles will be posted here.",
    "cmd.subscribe.duplicate": "This chat is already subscribed to that query (#{id}): {query}",
    "cmd.subscribe.quota": (
        "This chat has reached its limit of {limit} subscriptions. "
        "Remove one with /unsubscribe first."
    ),
    "cmd.query.invalid": "I can't read that query: {reason} (at character {position}).",
    "cmd.query.too_long": "That query is {length} characters long; the limit is {limit}.",
    "cmd.query.empty": "the query is empty",
    "cmd.query.missing_quote": "a closing quotation mark is missing",
    "cmd.query.unbalanced": "a parenthesis is not closed or not opened",
    "cmd.query.empty_parentheses": "there is nothing between the parentheses",
    "cmd.query.term_after": "a word is missing after {operator}",
    "cmd.query.term_before": "a word is missing before {operator}",
    "cmd.query.unknown_filter": "I don't know the filter {filter} (known: intitle:, lang:, site:)",
    "cmd.query.filter_value": "the filter {filter} needs a value",
    "cmd.query.wildcard": "a * may only stand at the end of a word",
    "cmd.query.empty_phrase": "the quotation marks hold no words",
    "cmd.query.no_letters": "a word needs letters or digits",
    "cmd.query.bad_language": "{value} is no language code (use e.g. lang:de or lang:en)",
    "cmd.query.bad_domain": "{value} is no domain (use e.g. site:heise.de)",
    "cmd.query.only_exclusions": "a query needs at least one word to look for, not only exclusions",
    "cmd.query.too_deep": "parentheses or negations nest deeper than {limit} levels",
    "cmd.query.other": "{reason}",
    "cmd.unsubscribe.usage": (
        "Tell me what to stop: /unsubscribe 12 (an id from /list), "
        "/unsubscribe xiaomi (the query) or /unsubscribe all."
    ),
    "cmd.unsubscribe.done": "Unsubscribed (#{id}): {query}",
    "cmd.unsubscribe.all_done": "Removed {count} subscription(s) of this chat.",
    "cmd.unsubscribe.all_none": "There was nothing to remove.",
    "cmd.unsubscribe.operator_kept": (
        "{count} subscription(s) were set up by the bot's operator; only the operator can remove "
        "them, but you can /pause them."
    ),
    "cmd.unsubscribe.operator": (
        "Subscription #{id} was set up by the bot's operator, so I can't remove it here. "
        "You can /pause {id} it, or ask the operator."
    ),
    "cmd.unsubscribe.no_query": "This chat has no subscription with the query {query}. See /list.",
    "cmd.subscription.not_found": "This chat has no subscription #{id}. See /list.",
    "cmd.list.header": "Subscriptions of this chat ({count} of at most {limit}):",
    "cmd.list.empty": "This chat has no subscriptions yet. Start with /subscribe <query>.",
    "cmd.list.paused": "paused",
    "cmd.list.operator": "set by the operator",
    "cmd.list.thread": "in thread {thread}",
    "cmd.language.usage": (
        "This chat's language is {current}. Change it with /language de or /language en."
    ),
    "cmd.language.done": "From now on I'll reply and post alerts in English.",
    "cmd.group.usage": (
        "Send /group on for one message per story (later reports are added to it) or "
        "/group off for a message per article."
    ),
    "cmd.group.current_on": (
        "Stories are grouped: later reports are added to the story's message. "
        "/group off sends every article on its own."
    ),
    "cmd.group.current_off": (
        "Every article comes as its own message. /group on groups them by story."
    ),
    "cmd.group.on": "Done: one message per story; other outlets' reports are added to it.",
    "cmd.group.off": "Done: from now on every matching article gets its own message.",
    "cmd.pause.usage": (
        "Send /pause to pause every subscription of this chat, or /pause 12 for one."
    ),
    "cmd.pause.done": "Paused {count} subscription(s). /resume picks up with new articles.",
    "cmd.pause.none": "There is nothing to pause.",
    "cmd.resume.usage": (
        "Send /resume to resume every subscription of this chat, or /resume 12 for one."
    ),
    "cmd.resume.done": (
        "Resumed {count} subscription(s). You'll get articles published from now on."
    ),
    "cmd.resume.none": "There is nothing to resume.",
    "cmd.preview.usage": "Tell me a query to try, for example: /preview xiaomi",
    "cmd.preview.header": "Newest of {count} matching article(s) from the last {days} days:",
    "cmd.preview.none": "No article from the last {days} days matches that query.",
    "cmd.sources.header": "Feeds I watch ({count}):",
    "cmd.sources.empty": "I don't watch any feeds yet.",
    "cmd.sources.every": "every {minutes} min",
    "cmd.sources.paused": "paused",
    "cmd.sources.failing": "failing ({count} in a row)",
    "cmd.sources.from_chat": "added in a chat",
    "cmd.addsource.usage": (
        "Send the address of a feed, for example: /addsource "
        "https://www.heise.de/rss/heise-atom.xml"
    ),
    "cmd.addsource.done": "Added source #{id}: {name} ({url}). It will be polled shortly.",
    "cmd.addsource.duplicate": "That feed is already watched (#{id}): {url}",
    "cmd.addsource.resumed": (
        "Source #{id} ({name}) was paused after failing; it is polled again now."
    ),
    "cmd.addsource.malformed": "That is not a valid web address.",
    "cmd.addsource.bad_scheme": "Only http:// and https:// addresses can be added.",
    "cmd.addsource.credentials": "Addresses with a user name or password can't be added.",
    "cmd.addsource.no_host": "That address has no host name.",
    "cmd.addsource.not_public": (
        "{host} is not a public internet address, so it can't be added from a chat."
    ),
    "cmd.addsource.blocked": (
        "{host} leads to {address}, which is not a public internet address, so it can't be "
        "added from a chat."
    ),
    "cmd.removesource.usage": "Send the id of a source from /sources, for example: /removesource 3",
    "cmd.removesource.done": "Removed source #{id}: {name}",
    "cmd.removesource.not_found": "There is no source #{id}. See /sources.",
    "cmd.removesource.config": (
        "Source #{id} ({name}) comes from the config file; only the operator can remove it there."
    ),
    "cmd.status.header": "newsbot status",
    "cmd.status.sources": "Feeds: {active} active, {paused} paused, {failing} failing",
    "cmd.status.failing": "{name}: {count} failure(s) in a row, last error: {error}",
    "cmd.status.last_poll": "Last poll: {time}",
    "cmd.status.never_polled": "Last poll: not yet",
    "cmd.status.queue": "Alerts waiting to be sent: {depth}",
    "cmd.status.chat": "This chat: {active} subscription(s), {paused} of them paused",
    # Discord (bot/platforms/discord): buttons, embed labels, slash-command options.
    "dc.button.pause": "Pause",
    "dc.button.unsubscribe": "Unsubscribe",
    "dc.embed.matched": "Matched",
    "dc.option_name.query": "query",
    "dc.option_name.target": "target",
    "dc.option_name.language": "language",
    "dc.option_name.id": "id",
    "dc.option_name.url": "url",
    "dc.option_name.switch": "switch",
    "dc.option.group": "on: one message per story, off: one per article",
    "dc.option.subscribe": 'What to watch for, e.g. xiaomi OR "lei jun"',
    "dc.option.unsubscribe": "A subscription id from /list, its query, or all",
    "dc.option.language": "de (Deutsch) or en (English)",
    "dc.option.pause": "A subscription id from /list (empty: all)",
    "dc.option.resume": "A subscription id from /list (empty: all)",
    "dc.option.preview": "The query to try",
    "dc.option.addsource": "The feed's address (http or https)",
    "dc.option.removesource": "A source id from /sources",
    # Telegram (bot/platforms/telegram).
    "tg.button.pause": "⏸ Pause",
    "tg.button.unsubscribe": "✖ Unsubscribe",
    "tg.button.expired": "This button no longer works.",
    "tg.description": (
        "I watch news feeds for your keywords and post a short summary of every matching "
        "article, in private chats, groups, forum topics and channels. Start with "
        "/subscribe xiaomi; /help lists everything."
    ),
    "tg.short_description": "News alerts for your keywords, condensed to a few sentences.",
    "tg.manage.for": "For {chat}:",
    "tg.manage.not_found": (
        "I can't find the chat {chat}. Check the name, and add me to it first "
        "(in a channel: as an administrator)."
    ),
    "tg.manage.not_admin": "Only administrators of {chat} can manage its subscriptions.",
    "tg.manage.cannot_post": (
        "I can't post in {chat}. Make me an administrator there with the right to post "
        "messages, then try again."
    ),
    # Delivery (issue 12): time zone, digests, quiet hours, hourly cap, translation.
    "cmd.describe.timezone": "Time zone of times shown, e.g. Europe/Berlin",
    "cmd.describe.digest": "Digest: off, hourly, daily HH:MM, weekly <day> HH:MM",
    "cmd.describe.quiet": "Quiet hours without alerts, e.g. 22:00-07:00, or off",
    "cmd.describe.limit": "At most N alerts per hour, or off",
    "cmd.timezone.current": "This chat shows times in {zone} (now {now}). "
    "Change it with /timezone Europe/Berlin.",
    "cmd.timezone.done": "From now on I'll show times in {zone} (now {now}).",
    "cmd.timezone.unknown": (
        "I don't know the time zone {name}. Use an IANA name such as Europe/Berlin, "
        "Europe/London or America/New_York."
    ),
    "cmd.timezone.suggest": "I don't know the time zone {name}. Did you mean {suggestion}?",
    "cmd.schedule.bad_time": "Please write times as HH:MM, for example 08:00 or 22:30.",
    "cmd.schedule.bad_weekday": (
        "I don't know that weekday. Write it in full or short, e.g. monday, mon, montag."
    ),
    "cmd.digest.usage": (
        "Use /digest daily 08:00, /digest weekly monday 08:00, /digest hourly, or /digest off "
        "(each alert at once). For one subscription put its id first: /digest 3 daily 08:00."
    ),
    "cmd.digest.current": "Alerts of this chat: {schedule}.",
    "cmd.digest.current_subscription": "Subscription #{id} ({query}): {schedule}",
    "cmd.digest.done": "Alerts of this chat from now on: {schedule}.",
    "cmd.digest.done_subscription": "Alerts of subscription #{id} ({query}) from now on: "
    "{schedule}.",
    "cmd.digest.off": "each at once",
    "cmd.digest.hourly": "collected hourly",
    "cmd.digest.daily": "collected daily at {time}",
    "cmd.digest.weekly": "collected every {weekday} at {time}",
    "cmd.quiet.usage": "Use /quiet 22:00-07:00 (in this chat's time zone) or /quiet off.",
    "cmd.quiet.empty": "The quiet hours start and end at the same time; use two different times.",
    "cmd.quiet.current": "Quiet hours of this chat: {start} to {end} ({zone}).",
    "cmd.quiet.none": "This chat has no quiet hours. Set them with /quiet 22:00-07:00.",
    "cmd.quiet.done": (
        "Quiet hours from now on: {start} to {end} ({zone}). Alerts from that time come at its "
        "end, four or more as one digest."
    ),
    "cmd.quiet.off": "No more quiet hours: alerts come around the clock.",
    "cmd.limit.usage": "Use /limit 10 (at most 10 alerts per hour, 1 to 1000) or /limit off.",
    "cmd.limit.current": "This chat gets at most {count} alerts per hour.",
    "cmd.limit.none": "This chat has no cap. Set one with /limit 10.",
    "cmd.limit.done": (
        "From now on at most {count} alerts per hour; further ones come collected in the next "
        "hour, none is lost."
    ),
    "cmd.limit.off": "No more cap.",
    "digest.heading_topic": "Your {topic} news of {day}",
    "digest.heading": "Your news of {day}",
    "translation.from": "translated from {language}",
    "translation.from_other": "translated from {language}",
    "translation.original": "Original: {title}",
    "dc.option_name.zone": "zone",
    "dc.option_name.schedule": "schedule",
    "dc.option_name.hours": "hours",
    "dc.option_name.count": "count",
    "dc.option.timezone": "An IANA name such as Europe/Berlin (empty: show the current one)",
    "dc.option.digest": "off, hourly, daily 08:00, weekly monday 08:00; a subscription id first",
    "dc.option.quiet": "For example 22:00-07:00, or off (empty: show the current ones)",
    "dc.option.limit": "Alerts per hour, or off (empty: show the current cap)",
}
