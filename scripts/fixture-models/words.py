"""A fixed list of common English words for the fixture WordPiece vocabulary.

Kept in the repository (not read from /usr/share/dict) so the vocabulary, and
therefore every token id in the fixtures, is the same on every machine.
"""

COMMON_WORDS = """
the of and to in a is that for it as was with be by on not he i this are or his from at which
but have an they you were her she there been one all we their has would when if so no will more
can out up about who some what them into only its other then than time do could these two may
first any new like now my over such our man me even most made after also did many before must
through back years where much your way well down should because each just those people how too
little state good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go
came right used take three states himself few house use during without again place american around
however home small found mrs thought went say part once general high upon school every does got
united left number course war until always away something fact though water less public put think
almost hand enough far took head yet government system better set told nothing night end why
called didn find look asked later knew point next program city business give group toward young
days let room president side social given present several order national possible rather second
face per among form important often things looked early white case john become large big need four
within felt along children saw best church ever least power development light thing seemed family
interest want members mind country area others done turned although open god service problem
certain kind different thus began door help means sense whole matter perhaps itself york times law
human line above name example action company hands local show whether five history gave today either
act feet across taken past quite anything seen having death experience body word half really week
field car words already themselves information tell together college shall money period held keep
sure probably free seems political real behind cannot miss question air office making brought whose
special heard major problems ago became federal moment study available known result street economic
boy position reason change south board individual job areas society west close turn love community
true court force full seem art am cost wife future age wanted department voice center woman control
common necessary policy following front sometimes six girl clear further land run students provide
feel party able mother music education university child effect level stood military short town
morning total outside rate figure class art century washington north usually plan leave therefore
evidence top million sound black strong hard various says believe type value play surface soon mean
near lines table peace modern tax road red book personal process situation minutes increase idea
english alone women gone nor living months america started longer dr cut finally third secretary
nature private section greater call fire kept ground view dark basis east father spirit union trade
note answer paper research data search query document documents file files text model models vector
vectors index embedding embeddings semantic private browser memory disk speed fast slow quick brown
fox jumps lazy dog cat cats dogs bird birds fish tree trees flower river lake sea ocean mountain hill
sun moon star stars sky rain snow wind weather cold hot warm summer winter spring autumn fall food
bread milk coffee tea apple apples banana orange fruit vegetable meat cheese egg eggs sugar salt
water wine beer dinner lunch breakfast kitchen cook cooking recipe eat eating drink drinking sleep
sleeping walk walking running read reading write writing learn learning teach teaching student
teacher class lesson test tests exam doctor nurse hospital medicine health sick ill pain heart blood
brain computer computers software hardware network internet web page pages site email phone
phones screen keyboard mouse code program programs programming language languages python java
script function functions error errors bug bugs fix fixed build building built server client user
users account password security key keys lock open closed start stop begin end finish note notes
list lists item items price prices buy sell bought sold shop store market bank pay paid card cash
car cars bus train plane ship boat bike bicycle travel trip journey map maps city cities village
country countries world europe asia africa france germany england london paris berlin china japan
india england science scientist physics chemistry biology math mathematics number numbers energy
power electric electricity machine machines engine engines learning neural deep network networks
data database table tables chart graph image images picture pictures photo photos video videos film
movie movies song songs game games sport sports football soccer team teams player players win won
lose lost score happy sad angry afraid tired hungry beautiful ugly nice bad big small large tiny huge
new old young fresh clean dirty easy difficult simple hard soft heavy light dark bright quiet loud
rich poor cheap expensive safe dangerous true false yes no maybe please thank thanks hello goodbye
sorry friend friends family brother sister son daughter husband wife baby child parents king queen
prince princess president minister leader army police soldier war peace law rule rules question
questions answer answers story stories news report reports article articles letter letters message
messages meeting meetings plan plans project projects task tasks goal goals idea ideas problem
solution solutions result results method methods test testing measure measured average mean median
small smaller smallest large larger largest fast faster fastest good better best bad worse worst
many more most few less least first second third last next previous before after during while
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december today tomorrow yesterday morning evening afternoon night
hour hours minute minutes second seconds day days week weeks month months year years zero one two
three four five six seven eight nine ten hundred thousand million billion red green blue yellow black
white gray grey pink purple brown color colour colors shape circle square line lines point points
""".split()

# Pieces that follow another piece inside a word: common English suffixes.
SUFFIXES = """
s es ed ing ly er ers est ion ions tion tions ness ment ments able ible al ial ful less ous ive ity
ize ized ise ised ism ist ists y ies ied ier iest en ence ance ant ent ery ory ary ship hood ward
wards like wise 's n't re ve ll d t
""".split()
