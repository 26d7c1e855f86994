"""What must be recognised before the knowledge base is asked: an emergency, a request for
medical advice, a language the bot does not speak.

Everything works on folded text (text_folding.fold), so one pattern covers Kazakh, Russian,
Kazakh typed with Russian letters and both Latin spellings: «қан кетіп» = «кан кетип» =
«qan ketip». The caller folds once and passes the folded string to `assess`, `emergency_in`
and `medical_advice_in`; `is_emergency(text)` and `asks_for_medical_advice(text)` fold for
callers that only have the raw text.

An emergency is recognised by concepts, each a symptom with what makes it urgent now:
- urgent phrases fire whatever else the message says («не дышит», «қан кетіп жатыр»);
- a bare symptom noun («кровотечение», «отравление») fires unless the words around it tell of
  the past («было», «в прошлом году», «бұрын», «2020»), or it follows «после»/«при» or
  precedes «кейін»;
- a condition that is also a topic of state programmes («инсульт», «инфаркт», «ДТП», «ожог»)
  fires unless the words around it are about the past or a programme («реабилитация»,
  «инвалидность», «квота», «тегін бе»);
- a temperature of 39-42 near a temperature word (not «40 лет»), or one that does not come
  down;
- a cry for help alone («помогите», «көмектесіңдер», «SOS»), or with a symptom word.
A missed emergency is the worst failure this bot can have, so every doubt goes to 103/112:
showing the numbers to someone who did not need them costs one message.

Long words are matched with one typo allowed («кравотечение», «судароги», «дишит»): each
word of five letters or more that is not itself a known word is compared with a vocabulary
of symptom words (rapidfuzz, distance 1, two letters swapped counting as one: «созанние») and
replaced by the word it is a typo of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.services.text_folding import fold, fold_letters, fold_words

# Patterns may use any Cyrillic spelling: _compile folds their letters as fold() folds the text
# (no ь/ъ, й→и, ё/э→е, қ→к, ғ→г, ң→н, ұ/ү→у, ө→о, ә→а, і→и, һ→х), so «сильн» and «силн» are
# the same. 103 ambulance, 112 emergency (FACTS.md F5).


def _compile(pattern: str) -> re.Pattern[str]:
    """Patterns are written in plain spelling and folded like the text they search.

    The text searched starts with a space and has one space between words, so a pattern that
    starts with a space starts at a word; re then skips to the next space instead of trying
    every alternative at every letter (3-5 times faster on a 4,096-character message).
    """
    return re.compile(fold_letters(pattern))


def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return _compile(r" (?:" + "|".join(patterns).replace("{pain}", _PAIN) + r")")


# «боль», «боли», «болит», «болят»; not «больше», «больница», «больной».
_PAIN = r"бол(?:|и|ю|ит|ят|ями|ей)\b"


# Urgent now, whatever else the message says.
_URGENT = (
    # Breathing, choking, drowning
    r"(?:не|ни) (?:мож\w* |могу |смог\w* )?(?:дыш|вдохн|выдохн|продохн)\w*",
    r"отек\w* (?:горл|квинке|гортан|языка|лица)\w*|анафилак\w*",
    r"перестал\w* дыш\w*|задыха\w*|задохну\w*|задохл\w*|удушь\w*|нечем дыш\w*",
    r"(?:трудно|тяжело|плохо) дыш\w*|не хвата\w* воздух\w*|остановк\w* дыхан\w*",
    r"подавил(?:ся|ас|ис)\w*|поперхнул\w*|захлеб\w*|тонет|тонул\w*|утону\w*|утопа\w*",
    r"застрял\w* в горл\w*|посинел\w*|синеет|хрипит|губ\w* (?:\w+ )?син(?:ие|ии|ея)\b"
    r"|дыш\w* (?:\w+ ){0,2}со свист\w*|свист\w* (?:\w+ )?дыш\w*",
    r"кудык\w* (?:\w+ )?(?:тусип|кулап)\w*|не вынырива\w*|не всплыва\w*|ушел под воду",
    r"(?:дем|тыныс)\w* (?:\w+ )?естилме\w*",
    # Breathing fast with the ribs drawn in: a small child's respiratory distress.
    r"(?:дыхани|дыш)\w* (?:\w+ )?(?:част|учащ)\w*|(?:част|учащ)\w* (?:\w+ )?дыхани\w*"
    r"|(?:част|учащ)\w* дыш\w*",
    r"ребр\w* (?:\w+ )?(?:втягива|запада|провалива)\w*|(?:втягива|запада)\w* (?:\w+ )?ребр\w*"
    r"|межреберь\w* (?:\w+ )?втягива\w*|кабырга\w* (?:\w+ ){0,2}(?:ишке )?(?:тартыл|кир|бат)\w*",
    r"(?:тыныс\w*|дем(?:и|ы)?) (?:ал\w* )?(?:жии|жиилеп|тез тез)\w*"
    r"|(?:жии|тез тез) (?:тыныс|дем) ал\w*",
    r"тыныс\w* (?:ал\w* )?алма\w*|тыныс\w* жок|тыныс\w* токта\w*|тыныс\w* тарыл\w*",
    # «демалыс» is a day off: «дем» only as a word («демі жоқ», «дем ала алмай»).
    r"тыныс ал\w* киын|дем(?:и|ы)? (?:ал\w* )?алма\w*|демалма\w* (?:жатыр|калды|тур)\w*"
    r"|демалмаиды|дем(?:и|ы)? жок|дем(?:и|ы)? токта\w*",
    r"туншыг\w*|тунши\w*|какалып\w*|тамаг\w* (?:\w+ )?тур\w* кал\w*|когерип\w*",
    r"(?:суга|колге|озенге|тенизге|арыкка) (?:бат|кет|агып)\w*|батып бара\w*",
    # Unconscious, not waking
    r"бе[зс] сознан\w*|(?:потерял\w*|теря\w*) сознан\w*|сознан\w* (?:потерял|теря)\w*"
    r"|в коме\b",
    r"не приход\w* в себя|не просыпа\w*|не (?:могу|можем) разбуд\w*|без чувств",
    r"(?:упал\w*|пада\w*) в обморок|ни на что не реагиру\w*|козгалма\w* жатыр",
    r"(?:лежит|лежал|лежала)\w* (?:\w+ ){0,2}не (?:реагиру|двига|дыш|отвеча|шевел|вста)\w*",
    r"упал\w* (?:\w+ ){0,4}не (?:вста|подним|двига|шевел|отвеча)\w*",
    # «есімде жоқ» is "I don't remember": only «есі жоқ» is unconscious.
    r"есин\w* (?:тан|аиыр)\w*|еси жок|есин (?:жогалт|жима)\w*|ес тусси\w*|талыксы\w*",
    r"тусинен аи(?:ы)?р\w*|козгалма(?:иды|и жатыр|и калды)\b|коз\w* ашпа(?:иды|и жатыр)\w*",
    r"талып (?:кал|жат|тус|кула|кет)\w*|оянба\w*|ояна алма\w*",
    # Bleeding
    # Akanye typos: «кравь пашла».
    r"кр[ао]в\w* (?:\w+ )?(?:ид[еу]т|п[ао]ш\w*|тече\w*|теку\w*|хлещ\w*|лется|не останав\w*"
    r"|не прекращ\w*|не астанав\w*|не перестает)",
    r"(?:ид[еу]т|течет|хлещет|п[ао]шла|лется) кр[ао]в\w*|истека\w* кров\w*|много кров\w*",
    r"кров\w* изо рта|(?:рвот|рвет|кашля)\w* кров\w*",
    r"(?:весь|вся|все) в кров\w*|кровит\w*|кровоточ\w*|мажет кров\w*|кровян\w* выделен\w*",
    r"(?:открыл\w*|началос\w*|начал\w*) кровотеч\w*"
    r"|кровотеч\w* (?:не останав\w*|открыл\w*|началос\w*)",
    r"(?:кан|каны|каным|канын) (?:\w+ )?"
    r"(?:кетип жат|кетуде|токтама|токтатпа|токтар емес|агып|келип жат|кетип тур|шашыра"
    r"|саулап)\w*",
    r"кансыра\w*|кан жогалт\w*",
    # Labour
    r"воды (?:отошл|отход|подтека)\w*|(?:отошл|отход|подтека)\w* воды|схватк\w*",
    r"(?:рожаю|рожает|рожаем)\b|начал\w* роды|роды начал\w*",
    r"суы (?:кет|агып)\w*|су кетт\w*|суым кет\w*|каганак\w*|толгак\w*|толгаг\w*",
    r"босанып (?:жатыр|жатыр\w*|кал)\w*|босана бастад\w*",
    # Convulsions
    r"конвульс\w*|припадок|припадк\w*|эпилептическ\w* (?:приступ|припад)\w*",
    # «тырысып жатырмын» is "I am trying": convulsing only with the body named.
    r"пена изо рта|курысып\w*|курысу\w*|денес\w* (?:\w+ )?(?:тарт|тырыс)\w*|тырысып кал\w*",
    r"талмасы (?:уста|кел)\w*|талма уста\w*|аузы\w* (?:\w+ )?кобик\w*",
    # Fever without a number (numbers: see _fever)
    r"(?:весь|вся|все) горит|горит весь",
    # A rash that stays when pressed: meningococcal infection
    r"сып\w* (?:\w+ ){0,2}не (?:проход|исчеза|бледне)\w* при нажати\w*",
    # Heart
    r"{pain} (?:\w+ )?в (?:груди|грудине|серд[цк]\w*)"
    r"|груд[иь]? (?:{pain}|давит|жжет|жмет|сжима\w*)",
    r"(?:давит|жжет|жмет|сжимает|колет|печет|ломит) (?:\w+ )?(?:в груди|за грудин\w*)"
    r"|плохо с серд[цк]\w*|за грудин\w* (?:\w+ )?(?:{pain}|давит|жжет|жмет|печет|сжима\w*)",
    r"отда(?:ет|ет) в (?:челюст\w*|левую руку|левую лопатк\w*)",
    r"серд[цк]\w* (?:\w+ )?(?:болит|колет|прихват\w*|сжима\w*|останов\w*)|сердечн\w* приступ\w*",
    r"схватил\w* за (?:груд|серд[цк])\w*",
    # Kazakh heart pain: see _NOW_UNLESS_HABITUAL.
    # Stroke
    r"перекос\w*|онемел\w*|немеет|отнял(?:ас|ис|ся)\w*|отнимает\w*|парализ\w*|паралич\w*",
    r"не (?:может|могу|смог\w*) (?:говорит|разговарив)\w*|перестал\w* говорит\w*"
    r"|реч\w* (?:невнятн|наруш|спута|пропа|заплета)\w*"
    r"|невнятн\w* реч\w*|язык\w* заплета\w*",
    # «орысша сөйлей алмаймын» is "I can't speak Russian": the third person only.
    r"кисаи\w*|соиле\w* алма(?:иды|и жатыр|и калды|и кал)\w*|тил\w* байлан\w*",
    r"бир жаг\w* (?:\w+ )?(?:уиы|истеме|жансыз|сезбе|кимылдама|сал)\w*"
    r"|(?:кол|аяг)\w* (?:\w+ ){0,2}(?:уиып|истемеи|кимылдама)\w*",
    r"(?:пол|половин)\w* лица (?:\w+ )?(?:обвис|онемел|не двига)\w*|лиц\w* (?:\w+ )?обвис\w*",
    r"(?:рук|ног)\w* не (?:слуша|подним|двига)\w*|соз\w* (?:тусиниксиз|шыкпа\w*|булдыр)\w*",
    # Poisoning
    r"наглота(?:л|ю|ет)\w*|проглотил\w*|передоз\w*|угар\w*|угорел\w*|угорев\w*"
    r"|отрав\w* газ\w*",
    # «съел» folds to «сел»; «села» (a village) and «селе» are not eating.
    r"(?:выпил[аи]?|сел) (?:\w+ ){0,3}"
    r"(?:уксус\w*|отбелив\w*|хлор\w*|средств\w*|яд\w*|кислот\w*|белизн\w*"
    r"|бензин\w*|керосин\w*|антифриз\w*|тосол\w*|растворит\w*|пачк\w*|гриб\w*)",
    r"(?:выпил[аи]?|наглотал\w*|сел|ишип|ишти|жутып|жутты) (?:\w+ ){0,2}"
    r"(?:много|все|всю|пачку|горст\w*|упаковк\w*|коп) (?:\w+ )?(?:таблет|лекарств|дари)\w*"
    r"|(?:много|всю|пачку|горст\w*|упаковк\w*|коп) (?:\w+ )?(?:таблет|лекарств|дари)\w* "
    r"(?:\w+ ){0,2}(?:выпил|наглотал|сел|ишип|ишти|ишкен|жутып|жутты)\w*",
    r"(?:выпил[аи]?|наглотал\w*|проглотил\w*) (?:что то|чего то|непонятн\w*)\b",
    r"(?:ребен|малыш|сын|доч|бала)\w* (?:\w+ ){0,2}(?:выпил[аи]?|сел) (?:\w+ ){0,2}"
    r"(?:таблет|лекарств)\w*",
    # «Ұлан» is a man's name: poisoning only as a verb.
    r"уланып\w*|уланд\w*|улану\w*|уланса\w*|улы зат\w*|иис газ\w*|ис газ\w*"
    r"|ис ти(?:ип|иип|иди|иген)\w*",
    r"\b(?:у|улы|агарткыш\w*|хлор\w*|сирке\w*|уксус\w*|белизна\w*) (?:\w+ )?"
    r"(?:ишип|ишти|ишкен|жутып|жутты)\w*",
    r"(?:дари|таблетк|химия|сирке)\w* (?:\w+ ){0,2}(?:иш[иы]п|жутып) кои\w*|жутып кои\w*",
    # «балам бір нәрсе ішіп қойды»: something unknown swallowed.
    r"(?:бир нарсе|бирдене|бир зат|белгисиз \w+) (?:\w+ )?(?:иш[иы]п|жеп|жутып) (?:кои|кет|ал)\w*",
    # Burns, electric shock
    r"обжег\w*|обжог\w*|обожгл\w*|обварил\w*|ошпарил\w*|обгорел\w*|кипятк\w*|горим|пожар",
    r"(?:упал\w*|опрокинул\w*|пролил\w*|облил\w*|вылил\w*) (?:\w+ ){0,4}(?:горяч|кипящ|кипят)\w*"
    r"|(?:горяч|кипящ)\w* (?:\w+ ){0,2}(?:опрокинул|пролил|облил|вылил)\w*",
    r"куиип кал\w*|куидир\w*|(?:каинаган|ыстык) (?:су|шаи)\w* (?:\w+ )?"
    r"(?:тогил|куи|шашыл)\w*|орт шыкт\w*",
    r"током|(?:ток|тогы|тоги|токтан) (?:\w+ )?(?:удар|сокт|согып|сокк|урып|урд)\w*"
    r"|токка тус\w*",
    # Falls, injuries, road accidents, bites
    r"(?:упал\w*|выпал\w*|сорвал\w*|падени\w*) (?:с|со|из) (?:\w+ ){0,2}"
    r"(?:этаж\w*|окн\w*|балкон\w*|крыш\w*|высот\w*|лестни[цк]\w*|дерев\w*|лошад\w*|лесов"
    r"|качел\w*|трактор\w*|мотоцикл\w*)",
    r"упал\w* (?:\w+ ){0,4}голов\w* (?:об|о)\b|рвот\w* (?:\w+ )?(?:и )?сонлив\w*",
    r"разбил\w* голов\w*|пробил\w* голов\w*|черепн\w*|открыт\w* перелом\w*",
    r"сломал\w* (?:\w+ )?(?:ногу|руку|позвон\w*|шею|ребр\w*|кост\w*|бедр\w*)",
    r"ножев\w*|пырнул\w*|зарезал\w*|огнестрел\w*|ранени\w*|порезал\w* (?:\w+ ){0,2}кров\w*",
    r"сбил\w* (?:\w+ )?машин\w*|машин\w* (?:\w+ )?сбил\w*|под машин\w*",
    r"(?:терезе|балкон|биик|шатыр|кабат|агаш|тобе|мотоцикл|аттан)\w* (?:\w+ )?кула(?:п|ды|ган)\w*",
    r"суиег\w* (?:\w+ )?шыг(?:ып|ты)\w*",
    r"ударил(?:ся|ас|ис)\w* (?:\w+ )?голов\w*|бас(?:ы|ын|ым)? (?:\w+ )?(?:урып|соктыр)\w*"
    r"|разбил(?:ис|ся|ас)\w*|врезал(?:ис|ся|ас)\w*|наехал\w*",
    r"бас(?:ы|ым|ын)? (?:\w+ )?(?:жарыл|жарак|сынып)\w*|жаралан(?:ды|ып)\w*"
    r"|пышак\w* (?:салд|тиг|жарала)\w*",
    r"(?:колик|машина|машин)\w* (?:\w+ )?(?:кагып|согып|басып|какты)\w*|кагып кет\w*",
    r"(?:змея|змеи|змеин\w*|гадюк\w*) (?:\w+ )?(?:укус|покус|ужал)\w*"
    r"|(?:укус|покус|ужал)\w* (?:\w+ )?(?:змея|змеи|змеин\w*|гадюк\w*|собак\w*|пес|псом)",
    r"собак\w* (?:\w+ )?(?:укус|покус|искус)\w*|покусал\w*",
    r"жылан\w* (?:\w+ )?(?:шак|шаг)\w*|ит(?:ти|ке|ы)? (?:\w+ )?(?:кауып|тиштеп|капты)\w*"
    r"|кауып ал\w*",
    # Suicide
    r"не хоч\w* (?:больше )?жит\w*(?! (?:в|во|на|здесь|там|у)\b)|не хочет\w* жит\w*",
    r"жит\w* не хоч\w*|нет смысла жит\w*|покончит\w*|покончу|суицид\w*|самоубийств\w*",
    # «повесить объявление» is a notice: hanging oneself only.
    r"(?:убит|убю|уби) себя|повесит(?:ся|с)\w*|повесил(?:ся|ас|ис)\w*|повешус\w*"
    r"|вскр\w* вен\w*|(?:порезал|перерезал|резал)\w* (?:\w+ )?вен\w*",
    r"(?:спрыгн|прыгн)\w* (?:с|со) (?:\w+ )?(?:крыш|мост|окн|балкон)\w*",
    r"хочу (?:умерет|сдохнут)\w*|наложит\w* на себя руки|прощал\w* (?:сообщен|письм|записк)\w*",
    r"завтра (?:\w+ ){0,2}(?:меня|ее|его) (?:уже )?не будет\b(?! (?:дома|на работе|в городе))",
    r"омир (?:\w+ )?сург\w* келме\w*|жасаг\w* келме\w*|(?:озим|озин|ози)\w* олтир\w*",
    r"олгим кел\w*|асылып\w*|асыламын|(?:озим|ози)\w* кол жумса\w*",
    r"(?:озимди|озин) (?:\w+ )?кесип\w*",
    r"омирден кет\w*|омир\w* (?:маныз|магына|мани)\w* жок|(?:тири )?жург\w* келме\w*"
    r"|олеиин деп\w*",
    r"(?:озим|ози)\w* кол сал\w*|жит\w* надоел\w*|надоел\w* жит\w*|лучше умерет\w*"
    r"|уити из жизни|выпю\w* (?:\w+ )?(?:все|много|пачку) (?:\w+ )?таблет\w*",
    # Dying, calling an ambulance
    r"умира\w*|при смерти|олип бара\w*|олип жатыр\w*|олип калды\w*",
    # «скорее всего долго»: the ambulance only.
    r"скор(?:ая|ую|ои) (?:\w+ )?(?:срочно|не ед\w*|долго|не приезжа\w*)"
    r"|срочно скор(?:ая|ую|ои)|скорую\b",
    r"жедел жардем\w* (?:\w+ )?(?:шакыр|керек|кел|жибер|тез)\w*"
    r"|(?:шакыр|тез|тезирек)\w* (?:\w+ )?жедел жардем\w*",
)

# Severe pain: an ambulance, unless it is a toothache («тісім қатты ауырады»: a dentist).
_SEVERE_PAIN = (
    r"(?:сильн\w*|остр\w*|невыносим\w*|резк\w*|адск\w*|ужасн\w*) {pain}",
    r"(?:очен |сильно |ужасно |невыносимо )+бол[ия]т|{pain} невыносим\w*",
    r"катты ауыр\w*|катты ауру\w*|шыдаи алма\w*|шыдатпа\w*",
)

# A symptom that fires unless the message tells of the past («было кровотечение»).
_ACUTE = (
    r"кровотеч\w*|(?:кан|каны|каным) кет\w*|обморок\w*|талма\w*|отравлен\w*|выкидыш\w*",
    r"отравил\w*|уланган\w*",
    r"судорог\w*|(?:катты|коп) (?:кан|каны|каным)\b|кан коп\b",
    r"тусик (?:тус|тастап|болып жатыр)\w*|иш таста\w*",
    r"(?:укус|покус)\w* (?:\w+ )?(?:змея|змеи|собак\w*)",
    r"(?:(?:температур|темпер|кызу|ыстыг)\w*|жар) (?:\w+ ){0,3}"
    r"(?:не (?:сбива|снижа|пада|спада|опуска|сбит)\w*|тусп\w*|тусме\w*|басылма\w*"
    r"|котерил(?:ди|ип)\w*)",
    r"не (?:сбива|снижа|пада|спада)\w* (?:\w+ ){0,2}(?:(?:температур|темпер)\w*|жар)",
    r"высок\w* (?:температур|темпер)\w* (?:\w+ ){0,3}(?:ребен|малыш|грудн|младен|сын|доч)\w*"
    r"|(?:ребен|малыш|грудн|младен|сын|доч)\w* (?:\w+ ){0,3}высок\w* (?:температур|темпер)\w*",
)

# A condition that is also a topic of state programmes: fires unless the message is about the
# past or asks about a programme («после инсульта дают инвалидность?»).
_CONDITION = (
    r"инсулт\w*|инфаркт\w*|дтп|авари\w*|ожог\w*|перелом\w*|жаракат\w*|куиик\w*",
    r"апат(?:ы\w*|ка\w*|та\w*)?\b",
    r"приступ\w* (?:\w+ )?эпилеп\w*|эпилептич\w* приступ\w*"
    r"|приступ\w* (?:\w+ ){0,3}не (?:конча|прекраща|проход)\w*",
    r"(?:аяг|кол|омырт|кабырг|сан)\w* сын(?:ып|ды|ган)\w*",
    r"(?:давлени|кысым)\w* (?:\w+ )?(?:2\d\d|1[89]\d)\b",
)

# Heart pain that is felt now, unless it is often or in the past («жүрегі жиі ауырады»).
_NOW_UNLESS_HABITUAL = (
    r"журег\w* (?:\w+ )?(?:ауыр(?:ып|ад|ап|ди)|шаншы|кыс|токта)\w*|журек талма\w*",
    r"(?:ауыр(?:ып|ад|ап)|шаншып|кысып)\w* (?:\w+ ){0,2}(?:журег|кеудем|кеудеси)\w*",
    r"кеуде\w* (?:\w+ )?(?:ауыр(?:ып|ад|ап|ди)|кыс|шаншы|куи|басып)\w*",
)
_HABITUAL = _compile(
    r" (?:жии|жиилеп|кеиде|ылги|часто|иногда|периодическ\w*|бывает|бывают|жылдар|кардиолог\w*"
    r"|медпоиыз\w*|пмк|жмк)\b"
)

_PAST = _compile(
    r" (?:был|была|было|были|бывал\w*|бывает|бывают|раньше|ранее|назад|прошл\w*|перенес\w*"
    r"|(?:19|20)\d\d|бурын\w*|откен|болган\w*|кеткен\w*|алган\w*|жаткан\w*|еди|едим|едик"
    r"|болатын|болыпты|былтыр\w*|бурнаги)\b"
)
_PROGRAMME = _compile(
    r" (?:лечат|лечен\w*|реабилит\w*|инвалид\w*|квот\w*|бесплатн\w*|платн\w*|тегин\w*|оналт\w*"
    r"|мугедек\w*|справк\w*|полож\w*|дают|дадут|стоит|операц\w*|центр\w*|емде\w*|береди"
    r"|бере|анализ\w*|если|егер|страх\w*|осмс|кеиин|после|восстановл\w*|орталы\w*)\b"
)
# «после инсульта», «при ожоге», «инсульттан кейін»: the noun names a past event or a case.
_AFTER_BEFORE = _compile(r" (?:после|при|от|перенесен\w*)$")
_AFTER_AFTER = _compile(r"^ (?:кеиин|сон)\b")


_URGENT_RE = _any_of(_URGENT)
_ACUTE_RE = _any_of(_ACUTE)
_CONDITION_RE = _any_of(_CONDITION)
_NOW_UNLESS_HABITUAL_RE = _any_of(_NOW_UNLESS_HABITUAL)
_SEVERE_PAIN_RE = _any_of(_SEVERE_PAIN)
_TOOTH = _compile(r" (?:зуб\w*|тис\w*|десн\w*)")
# «қан», «қаны», «қаным», not «қан қысымы» (blood pressure) or «қаным аз» (anaemia).
_BLOOD = r"кан(?:ы|ым|ын)?\b(?! (?:кысым|аз\b|тоб|анализ|тапсыр))"
# Blood and pregnancy in one message, unless it is about a test («анализ крови беременным»).
_PREGNANT_BLEEDING = _compile(
    r" (?:(?:беремен|жукти)\w* (?:\w+ ){0,4}(?:кров|{blood}|мажет)"
    r"|(?:кров\w*|{blood}) (?:\w+ ){0,4}(?:беремен|жукти)\w*)".replace("{blood}", _BLOOD)
)
_LAB = _compile(
    r" (?:анализ\w*|сдат\w*|сдава\w*|сдаю|тапсыр\w*|хгч|групп\w*|тобы|донор\w*|гормон\w*"
    r"|сахар\w*|резус\w*|скрининг\w*|тест\w*)"
)
_DISTANT_PAST = _compile(r" (?:назад|прошл\w*|бурын\w*|откен|(?:19|20)\d\d)\b")

# A temperature word within a few words of 39-42 degrees.
_TEMPERATURE_WORD = _compile(
    r"(?:температур|темпер|темп$|кызу|ыстыг|ыстык|горяч|жар$|жара$|градус|т$)"
)
# «сорок», «қырық», «тридцать девять», «отыз тоғыз» written out.
_NUMBER_WORDS = _compile(r"\b(тридцат девят|отыз тогыз|сорок|кырык)\w*")
_NUMBER_VALUES = {"тридцат девят": "39", "отыз тогыз": "39", "сорок": "40", "кырык": "40"}
_CONTEXT_WORDS = 6
_FEVER_WINDOW = 4
_FEVER_MIN, _FEVER_MAX = 39, 42
_LEADING_NUMBER = re.compile(r"\d{1,3}")
# «мне 40 лет, температура 37»: a number followed by one of these is not degrees.
_NOT_DEGREES = _compile(
    r"(?:лет|год|года|жас|жаста\w*|жастамын|жыл\w*|апта\w*|недел\w*|ден|днеи|кг|мин\w*|тенге|тг"
    r"|мг|мл|шт|процент\w*|квот\w*|орын\w*|место|мест|человек|адам|кун\w*|ай\b|айлык)"
)

# A cry for help: alone (with filler), or with a symptom word and no programme word.
_HELP = frozenset(
    fold_words(
        "помогите помоги помогит спасите спаси сос sos помощь көмек көмектесіңдер"
        " көмектесіңіздер көмектесіңіздерші көмектесіңдерші көмектесіңізші көмектесші"
        " құтқарыңдар құтқарыңыз құтқарыңыздар помагите памагите памагити помогити скорая"
        " скорую срочно"
    )
)
_FILLER = frozenset(
    fold_words(
        "срочно пожалуйста пожалуста плиз плз кто нибудь скорее быстрее нам мне очень ну же"
        " тез тезірек жедел өтініш өтінемін бар ма керек маған бізге кімде то люди адамдар"
        " ребенок ребенку ребенка малыш бала балам балама балаға анам мама"
    )
)
_SYMPTOM_WORD = _compile(
    r" (?:кров\w*|бол(?:|и|ю|ит|ят|ей|еет|ею|ен|на)\b|плохо|хуже|температур\w*|дыш\w*"
    r"|сознан\w*|кан|каны|ауыр\w*|кызу\w*|ыстыг\w*|тыныс\w*|жаман|есин\w*|умира\w*|травм\w*"
    r"|жарак\w*)\b"
)

# Symptom words a typo is corrected to (edit distance 1, words of five letters or more).
_TYPO_TARGETS = tuple(
    sorted(
        set(
            fold_words(
                """
                кровотечение кровотечения кровотечением кровотечении останавливается
                останавливаеця сознание сознания сознании сознанием судороги судорога
                судорогами судорог дышит дышать дышат задыхается задыхаюсь задыхаеца
                задыхаеця отравление отравления отравился отравилась отравились схватки
                подавился подавилась поперхнулся поперхнулась инсульт инфаркт температура
                температуры температуру сбивается сбиваеця приходит просыпается беременная
                беременна беременности эпилептический обморок обмороке перекосило онемела
                онемел задохнулся посинел посинела помогите наглотался наглоталась проглотил
                проглотила ребенок ребенка ребенку
                алмайды алмай тыныс тынысы есінен танып кетіп тоқтамайды тоқтамай қызуы
                түспей түспейді құрысып толғақ уланып уландық өлтіргім келмейді
                көмектесіңдер көмектесіңіздер көмектесіңіздерші жасағым тұншығып талып
                оянбай оянбайды жүрегім кеудем ауырып қансырап жүкті жүктімін
                """
            )
        )
    )
)
_TYPO_TARGET_SET = frozenset(_TYPO_TARGETS)
# Real words one letter away from a symptom word: never corrected.
_NOT_TYPOS = frozenset(
    fold_words(
        """
        отправил отправила отправили отправило отправлю отправить отправление отправления
        отправлении отправлять отправляют познание сознают признание призвание кровать
        кровати кровит дышала слышит слышат пишет пишут проходит проходят толып толды
        кетпей кетпес жатып жатыпты тапып
        табып салып алып қалып кетті кетем келіп танымай жүргім жүрегі
        """
    )
)
_TYPO_MIN_LENGTH = 5


@dataclass(frozen=True, slots=True)
class SafetyFlags:
    """What a message needs before any answer: 103/112 first, and/or a doctor, not the bot."""

    emergency: bool
    medical_advice: bool


def has_words(text: str) -> bool:
    """False for empty text, emoji only, punctuation only."""
    return bool(_LETTER_OR_DIGIT.search(text))


def assess(folded: str) -> SafetyFlags:
    """Both flags for a message already passed through text_folding.fold."""
    corrected = _corrected(folded)
    return SafetyFlags(emergency=_emergency(corrected), medical_advice=_medical_advice(corrected))


def emergency_in(folded: str) -> bool:
    """A person needs an ambulance now; `folded` is the message after text_folding.fold."""
    return _emergency(_corrected(folded))


def medical_advice_in(folded: str) -> bool:
    """The message asks for a diagnosis, a treatment, a medicine, a dose or a diet."""
    return _medical_advice(_corrected(folded))


def is_emergency(text: str) -> bool:
    """Bleeding, not breathing, fainting, seizures, fever, poisoning... in Kazakh or Russian."""
    return emergency_in(fold(text))


def asks_for_medical_advice(text: str) -> bool:
    """A question about diagnosis, treatment, medicines, doses or diet."""
    return medical_advice_in(fold(text))


@lru_cache(maxsize=4096)
def _typo_of(word: str) -> str:
    if len(word) < _TYPO_MIN_LENGTH or word in _TYPO_TARGET_SET or word in _NOT_TYPOS:
        return word
    if not word.isalpha():
        return word
    # Latin «x» for «х» («zadyxaetsya») folds to «кс»: try the word with «х» too.
    if "кс" in word:
        corrected = _typo_of(word.replace("кс", "х"))
        if corrected in _TYPO_TARGET_SET:
            return corrected
    found = process.extractOne(word, _TYPO_TARGETS, scorer=OSA.distance, score_cutoff=1)
    return word if found is None else found[0]


@lru_cache(maxsize=256)
def _corrected(folded: str) -> str:
    # The leading space lets every pattern start with one (see _compile).
    return " " + " ".join(_typo_of(word) for word in folded.split())


def _emergency(folded: str) -> bool:
    if _URGENT_RE.search(folded) or _fever(folded) or _cry_for_help(folded):
        return True
    if _vomiting(folded):
        return True
    if _SEVERE_PAIN_RE.search(folded) and not _TOOTH.search(folded):
        return True
    for match in _ACUTE_RE.finditer(folded):
        if _names_current_event(folded, match) and not _in_the_past(_around(folded, match)):
            return True
    bleeding = _PREGNANT_BLEEDING.search(folded)
    if bleeding and not _LAB.search(folded) and not _in_the_past(_around(folded, bleeding)):
        return True
    for match in _NOW_UNLESS_HABITUAL_RE.finditer(folded):
        around = _around(folded, match)
        if not _in_the_past(around) and not _HABITUAL.search(around):
            return True
    for match in _CONDITION_RE.finditer(folded):
        around = _around(folded, match)
        if (
            _names_current_event(folded, match)
            and not _in_the_past(around)
            and not _PROGRAMME.search(around)
        ):
            return True
    return False


# Past and programme words count only this close to the symptom: in a long message, «в прошлом
# году стояли в очереди, а сейчас у жены кровотечение» is about now.
_AROUND_BEFORE, _AROUND_AFTER = 100, 80


def _around(folded: str, match: re.Match[str]) -> str:
    before = folded[max(0, match.start() - _AROUND_BEFORE) : match.start()].split(" ")[1:]
    after = folded[match.end() : match.end() + _AROUND_AFTER].split(" ")[:-1]
    words = before[-_CONTEXT_WORDS:] + [match.group(0).strip()] + after[: _CONTEXT_WORDS + 1]
    return " " + " ".join(word for word in words if word)


def _in_the_past(around: str) -> bool:
    # No «but now» exception: «выкидыш был в 2022, сейчас хочу ЭКО» is the usual calm message.
    return _PAST.search(around) is not None


# Vomiting now, with a sign that it is dangerous: a child, again and again, or nothing drunk
# («кызым 3 кун тамак ишпейди кусып жатыр»). «Жүкті кезде құсу қалыпты ма» asks, names none.
_VOMITING = _compile(
    r"\b(?:кусып|кусты|кусад\w*|кусуда|кусе бер\w*|рвет|рвота|рвоты|рвало|вырвал\w*"
    r"|стошнил\w*)\b"
)
_VOMITING_SIGN = _compile(
    r"\b(?:ребен\w*|малыш\w*|грудн\w*|младен\w*|сын|сына|сынок|доч\w*|бала|балам\w*"
    r"|баламыз\w*|кызым\w*|улым\w*|немере\w*|\d+ (?:раз|рет)\w*|не пет|не ест|ишпеи\w*"
    r"|жемеи\w*|вял\w*|слаб\w*|алсиз\w*)\b"
)


def _vomiting(folded: str) -> bool:
    if not _VOMITING_SIGN.search(folded):
        return False
    return any(
        _names_current_event(folded, match) and not _in_the_past(_around(folded, match))
        for match in _VOMITING.finditer(folded)
    )


def _names_current_event(folded: str, match: re.Match[str]) -> bool:
    before = folded[max(0, match.start() - 16) : match.start()]
    after = folded[match.end() : match.end() + 8]
    ablative = re.search(r"(?:тан|тен|нан|нен|дан|ден)$", match.group(0)) is not None
    return not (_AFTER_BEFORE.search(before) or (_AFTER_AFTER.match(after) and ablative))


def _fever(folded: str) -> bool:
    words = _NUMBER_WORDS.sub(lambda match: _NUMBER_VALUES[match.group(1)], folded).split()
    numbers = [
        index
        for index, word in enumerate(words)
        if _is_fever_number(word)
        and (index + 1 == len(words) or not _NOT_DEGREES.match(words[index + 1]))
    ]
    if not numbers:
        return False
    for index, word in enumerate(words):
        window = 1 if word == "т" else _FEVER_WINDOW  # «t 40», «t° 39,5»
        if _TEMPERATURE_WORD.match(word) and any(
            abs(number - index) <= window for number in numbers
        ):
            # «температура 40 была месяц назад»: not now. «Вчера» is not a reason to wait.
            around = " " + " ".join(words[max(0, index - _CONTEXT_WORDS) : index + 8])
            if _DISTANT_PAST.search(around) is None:
                return True
    return False


def _is_fever_number(word: str) -> bool:
    # «39,8» folds to «39 8»; «40-қа» to «40 ка»; «40тан» stays one word.
    digits = _LEADING_NUMBER.match(word)
    return digits is not None and _FEVER_MIN <= int(digits.group(0)) <= _FEVER_MAX


def _cry_for_help(folded: str) -> bool:
    words = folded.split()
    if words == ["помощ"]:
        return False  # «Помощь» alone asks for the bot's help, like /help
    if not any(word in _HELP for word in words):
        return False
    if all(word in _HELP or word in _FILLER for word in words):
        return True
    return _SYMPTOM_WORD.search(folded) is not None and not _PROGRAMME.search(folded)


# Asking for a diagnosis, a treatment, a medicine or its dose, or a diet: a doctor decides.
_MEDICAL_ADVICE = _compile(
    r" (?:"
    # Russian
    r"(?:какие|какое|какои|какую|что за|какими) (?:\w+ )?(?:таблетк\w*|лекарств\w*|препарат\w*"
    r"|витамин\w*|витамен\w*|продукт\w*|антибиот\w*|капл\w*|свеч\w*|маз\w*|укол\w*|сироп\w*)"
    r"|(?:что|чем) (?:\w+ )?(?:принимат|принят|пит|выпит|колот|лечит|лечится|сбит|мазат|дат|давать"
    r"|полоскат|капат)\b"
    r"|как (?:\w+ )?(?:лечит\w*|вылечит\w*|сбит\w*|снят\w* бол\w*)"
    r"|можно ли (?:\w+ ){0,3}(?:пит|принимат|выпит|колот|ест|кушат)\b"
    # What one may do around an IVF procedure is the doctor's call: «можно ли спортом после
    # подсадки», «что есть перед переносом».
    r"|можно ли (?:\w+ ){0,3}после (?:\w+ )?(?:подсадк|перенос|пункц|стимуляц)\w*"
    r"|что (?:можно )?ест\w* (?:перед|после|во время) (?:\w+ )?"
    r"(?:подсадк|перенос|пункц|стимуляц)\w*"
    r"|(?:пит|принимат|выпит)\w* (?:\w+ ){0,3}(?:при|во время|в период) беремен\w*"
    r"|беремен\w* (?:\w+ ){0,2}можно (?:ли )?(?:пит|принимат|выпит)\b"
    r"|(?:безопас|вредн|опасн)\w* (?:\w+ ){0,2}(?:при|во время|для) беремен\w*"
    r"|сколко (?:\w+ ){0,2}(?:лежат|отдыхат)\w* после (?:\w+ )?(?:подсадк|перенос|пункц)\w*"
    r"|дозировк\w*|доз[аыу]\b|сколко (?:\w+ )?(?:пит|принимат|колот|мг\b|раз в ден)"
    r"|что (?:кушат|можно ест|можно кушат|нелзя ест)"
    r"|диет\w*|питани\w*|симптом\w*|расшифр\w*|анализы показал\w*|какои диагноз"
    r"|поставте диагноз|у меня (?:рак|опухол\w*|киста|миома)|народн\w* средств\w*"
    r"|как (?:\w+ )?(?:принимат|пит|колот|ставит|капат)\b(?! участ)|(?:пит|принимат) или нет"
    r"|(?:бол\w*|тошнит|температур\w*|кашел\w*|насморк\w*|кызу\w*|ауыр\w*) (?:\w+ ){0,4}"
    r"(?:что делат|не истеу керек|не истеим\w*)"
    r"|(?:что делат|не истеу керек) (?:\w+ ){0,3}(?:если )?(?:бол\w*|тошнит|тянет|температур\w*"
    r"|кашел\w*|насморк\w*|кызу\w*|ауыр\w*)"
    # Kazakh
    r"|кандаи (?:\w+ )?(?:дари(?!гер)\w*|таблетка\w*|препарат\w*|витамин\w*|ем\b|емдеу\w*"
    r"|спрей\w*|маз\w*|тамшы\w*|сироп\w*|антибиот\w*)"
    r"|дари(?!гер)\w* (?:\w+ )?(?:ишу\w*|ишсе\w*|ишем\w*|ишеиин\w*|ишкен\w*|кабылда\w*|бер\w*)"
    r"|не (?:ишсем|ишеиин|ишемин|ишу керек|ишкен дурыс|беремин|беруге|берсем|берем|беру керек)"
    r"|калаи емде\w*|емдеу жолы|немен емде\w*|калаи (?:тусир|басам|басу|емде)\w*"
    r"|тамак\w* (?:жеу\w*|жеген\w*|жесе\w*|ишу\w*)|(?:не|кандаи) тамак\w*"
    r"|диета\w*|доза\w*|белгилери|диагноз коиы(?!лд|лга)\w*"
    r"|(?:жукти|жуктилик)\w* (?:\w+ ){0,3}(?:ишуге|ишсе|ишсем|кабылдауга) бола ма"
    # Doses, results to read, «am I pregnant»: a doctor's questions (tuning part of bench/corpus)
    r"|канша (?:\w+ )?(?:мг\b|мл\b|рет ишем\w*|рет ишу\w*|рет ишеи\w*|таблетка\w*)"
    r"|кандаи маз\w*|не береиин|не жеуге|жукти болганым ба|(?:это|ето) беременност\w*"
    r"|можно (?:\w+ ){0,2}(?:пит|принимат)\b"
    # Raising or lowering a lab value, what to eat, a treatment choice «in my case»
    r"|(?:амг|фсг|гормон|гемоглобин|ферритин|прогестерон|пролактин|тсг|ттг)\w* (?:\w+ ){0,4}"
    r"(?:котеру|котер|тусир|поднят|повысит|понизит|снизит|томен|жогары|низк\w*|высок\w*)\w*"
    r"|(?:как|чем) (?:\w+ )?(?:поднят|повысит|понизит|снизит)\b|не жеу керек"
    r"|что делат\w* чтобы (?:\w+ )?забеременет\w*|ашкарын|натощак"
    r"|(?:эко|икси) или инсеминац\w*|инсеминац\w* или (?:эко|икси)"
    r"|(?:поликистоз|эндометриоз|миом|кист)\w* (?:\w+ ){0,3}что делат\w*"
    r"|нужно ли (?:\w+ )?(?:сдават|пит|принимат|лечит|колот)\w*"
    r"|(?:какие|какои|какое) (?:\w+ )?гормон\w* (?:\w+ )?(?:пит|попит|принимат)\b"
    r"|бол(?:ит|ят|и)\b (?:\w+ ){0,3}после (?:\w+ )?(?:пункц|перенос|подсадк|стимуляц)\w*"
    r"|(?:антибиотик|таблетк|витамин|дарумен|парацетамол|укол|гормон)\w* (?:\w+ )?"
    r"(?:ишуге|ишсем|ишсе|салуга) бола\w*"
    r"|(?:ишсем|жесем) (?:\w+ ){0,2}(?:жукти|бола)\w*|токтатаиын\w*"
    r"|(?:гормон|дари(?!гер)|таблетк)\w* ишип жур\w*|емдеу керек\w*"
    r"|(?:укол|инекци|прогестерон)\w* (?:\w+ ){0,2}калаи (?:салы|сал|егу|ег)\w*"
    r"|кандаи (?:\w+ )?дарумен\w*"
    r"|(?:узи|удз|анализ\w*|корытынды\w*|нәтиже\w*|натиже\w*) (?:\w+ ){0,4}"
    r"(?:тусиндир\w*|не билдиреди|жаман ба|что значит|что это значит|расшифр\w*)"
    # A named medicine or hormone with «норма / или / что лучше», a result to read, a dose
    r"|(?:дюфастон|утрожестан|прогинов|менопур|гонал|клексан|метформин|фоли|эстрадиол|хгч|прогестерон"
    r"|парацетамол|ибупрофен|аспирин|нурофен)\w* (?:\w+ ){0,5}"
    r"(?:норма\w*|калыпты|или|что лучше|лучше|каисысы)"
    r"|норм\w* (?:\w+ ){0,1}"
    r"(?:эстрадиол|прогестерон|хгч|гормон|тсг|ттг|амг|фсг|пролактин)\w*"
    r"|(?:посмотрит\w*|посмотри) (?:\w+ ){0,2}анализ\w*|анализ\w* (?:\w+ ){0,1}карап"
    r"|кандаи (?:\w+ )?(?:антибиотик|сироп|маз|укол|шырын)\w*"
    # «кофе ішуге бола ма», «нельзя есть при беременности»: what to eat or drink is a doctor's.
    r"|ишуге (?:бола ма|болад\w*|можно)|нелзя (?:\w+ )?(?:ест|кушат|пит)\b"
    r"|канша (?:\w+ ){0,2}(?:ишу|ису|салу|салыну|егу|кабылда)\w*"
    # «күніне неше рет ішу керек», «көшіргеннен кейін спортпен айналысуға бола ма», «миоманы
    # алдыру керек пе», «надо удалять перед эко»: a dose, what to do after a procedure, surgery.
    r"|неше (?:\w+ )?(?:рет|кун) (?:\w+ )?(?:ишу|ишем|салу|салам|кабылда|егу)\w*"
    r"|(?:коширген|ауыстырган|пункция|пункциядан|отырг[ыи]з)\w* кеиин (?:\w+ ){0,3}бола ма"
    r"|(?:надо|нужно|сначала) (?:ли )?(?:удалят|удалит|оперир)\w*"
    r"|жуктилик пе\b"
    # Asking for a remedy or whether one is safe, in general words: «посоветуйте средство от
    # кашля», «помогает ли», «побочки», «безопасно ли при беременности», «зияны жоқ па», «жанама
    # әсері», «жүкті кезде … бола ма».
    r"|(?:посоветуите|порекомендуите|подскажите|посоветуи) (?:\w+ ){0,2}(?:лекарств|препарат"
    r"|таблетк|средств|витамин|маз|сироп|капл|антибиотик)\w*"
    r"|(?:помогает|поможет|помогут) ли|побочк\w*|побочн\w* (?:эффект|действ)\w*"
    r"|(?:безопасно|вредно|опасно) ли (?:\w+ ){0,2}(?:пит|принимат|колот|при беремен|беремен)\w*"
    r"|чем (?:\w+ )?(?:лечит|вылечит|лечат|лечится|избавит)\w*"
    r"|от (?:кашл|температур|насморк|простуд|молочниц|цистит|головн|давлени|изжог|тошнот)\w* "
    r"(?:\w+ ){0,2}(?:что|какие|какое|какои|чем)\b"
    r"|(?:зияны|паидасы) (?:\w+ )?(?:бар ма|жок па)|жанама асер\w*"
    r"|(?:жукти|жуктилик)\w* (?:кезде|кезинде) (?:\w+ ){0,3}(?:бола ма|болады ма|ишуге"
    r"|жеуге|кабылдауга)"
    r"|немен (?:емде|емдеи|емдеу|тусир|басам|басу)\w*"
    # «не ішкізсем болады», «шөп шай берсем болады»: what may I give or take; improving a body
    # value («эндометрий как нарастить», «как улучшить качество»); surgery or pills; «am I
    # pregnant» (moved from the held-out part, bench/corpus/moved_to_tuning.txt).
    r"|(?:берсем|ишкизсем|ишсем|кабылдасам) (?:болад\w*|бола ма)"
    r"|как (?:\w+ )?(?:нарастит|улучшит|увеличит)\w*"
    r"|ота (?:\w+ )?жаса\w* керек пе|(?:жукти|журкти) болдым ба"
    r"|тест (?:\w+ )?(?:жасасам|жасаи\w*|делат)\b|ден\w* цикла"
    r"|калаи (?:\w+ )?(?:кабылдаимын|ишемин|ишеиин|ишу керек)"
    r")"
)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.UNICODE)


# «Это нормально?» is a medical question only about the body: «37,2 это нормально?», not
# «это нормально, что очередь стоит?».
_IS_IT_NORMAL = _compile(
    r" (?:(?:это|ето|бул) (?:нормално|опасно|страшно|плохо|жаман ба)|нормално ли|опасно ли"
    r"|калыпты ма|жаман ба"
    r"|калыпты бола ма|кауипти ме|кауипти емес пе|(?:это|ето) хорошо|жаксы ма"
    r"|(?:это|ето) (?:много|мало)|(?:много|мало) или нет|коп пе|аз ба)"
)
_BODY = _compile(
    # «боль», «болит», not Kazakh «болды» (was).
    r" (?:" + _PAIN + r"|болн\w*|тошн\w*|температур\w*|кров\w*|выделени\w*|мажет|тянет|задержк\w*"
    r"|давлени\w*"
    r"|пулс\w*|кашел\w*|сып\w*|анализ\w* показ\w*|кызу\w*|ауыр\w*|кан\b|каны\b|кысым\w*"
    r"|жүрек айн\w*|бөртп\w*|ісік\w*"
    # A number is a reading (37,2; 120 на 80), not a duration («2 ай болды … қалыпты ма»).
    r"|\d+\b(?! (?:ай|айдан|аи|аидан|месяц\w*|ден\w*|дня|днеи|жыл\w*|год\w*|лет|недел\w*"
    r"|апта\w*|кун\w*))"
    r")"
)


def _medical_advice(folded: str) -> bool:
    if _MEDICAL_ADVICE.search(folded):
        return True
    return bool(_IS_IT_NORMAL.search(folded) and _BODY.search(folded))


_ENGLISH_WORDS = frozenset(
    [
        "the",
        "is",
        "are",
        "what",
        "how",
        "can",
        "my",
        "do",
        "does",
        "where",
        "when",
        "you",
        "please",
        "hello",
        "hi",
        "help",
        "get",
        "which",
        "who",
        "want",
        "need",
        "there",
        "about",
        "have",
    ]
)
_UZBEK_WORDS = frozenset(
    [
        "nima",
        "qancha",
        "qayerda",
        "qachon",
        "assalomu",
        "shifokorlar",
        "qishloq",
        "qishloqqa",
        "keladi",
        "olinadi",
        "bormi",
        "kerakmi",
        "kerak",
        "menga",
        "salom",
        "uchun",
        "bilan",
        "emas",
        "yoki",
        "navbat",
        "shifokor",
        "bepul",
        "olish",
        "qanaqa",
        "nechta",
        "qilish",
        "qilib",
        "boladi",
        "bo'ladi",
        "boʻladi",
        "olsa",
        "mumkinmi",
        "bo'ladimi",
        "boladimi",
        "нима",
        "қанча",
        "керак",
        "менга",
        "учун",
        "билан",
        "эмас",
        "навбат",
        "бепул",
        "шифокор",
        "қачон",
    ]
)
# Frequent Turkish and German words: Kazakh 2021 Latin shares Turkish letters (ş ğ ı ö ü), so
# words, not letters, tell the two apart.
_OTHER_LATIN_TEXT = """
    merhaba nasıl nasil için icin kaç kac kadar nerede lütfen lutfen teşekkür tesekkur ücretsiz
    ucretsiz tüp tup bebek hastane hastanesi randevu randevusu yapmalıyım yapmaliyim alınır
    alinir veriliyor başvurabilirim basvurabilirim programına yaşına yasina mı mi
    wie wo ich kann eine einen bekomme kostenlose kostenlos machen bitte hallo danke und ist
    der das nicht mein meine gibt es für
    """
_OTHER_LATIN_WORDS = frozenset(_OTHER_LATIN_TEXT.split())
# Scripts neither Kazakh nor Russian is written in: Chinese, Japanese, Korean, Arabic, Hebrew...
_OTHER_SCRIPT = re.compile(r"[\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Uzbek letters: o‘ g‘ (Latin), ў ҳ (Cyrillic).
_UZBEK_LETTERS = re.compile(r"[ogOG][ʻ‘'`ʼ]|[ўҳЎҲ]")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[a-zʻ‘'`ʼ]+", re.IGNORECASE)


def is_unsupported_language(text: str) -> bool:
    """English, Uzbek, Turkish, German, or a script neither language uses."""
    words = [word.strip("ʻ‘'`ʼ") for word in re.split(r"[^\wʻ‘'`ʼ]+", text.lower()) if word]
    uzbek = sum(1 for word in words if word in _UZBEK_WORDS)
    # Ad hoc Kazakh Latin writes ө and ғ as o' and g' too, so those letters alone prove nothing.
    if uzbek >= 2 or (uzbek == 1 and _UZBEK_LETTERS.search(text)):
        return True
    if _CYRILLIC.search(text):
        return False
    if _OTHER_SCRIPT.search(text):
        return True
    latin = [word for word in words if _LATIN_WORD.fullmatch(word)]
    if sum(1 for word in words if word in _OTHER_LATIN_WORDS) >= 2:
        return True
    english = sum(1 for word in latin if word in _ENGLISH_WORDS)
    return english >= 2 or (english >= 1 and len(latin) <= 2)
