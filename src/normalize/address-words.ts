// Address token abbreviations: USPS Publication 28 street suffixes, directionals and secondary unit
// designators, plus the per-country word lists of Amazon's AMC uploader normalizers. Keys and values are
// lowercase ASCII (tokens are folded before lookup). Later lists win where a word appears twice.
type Words = Record<string, string>;

function words(entries: string): Words {
  const result: Words = {};
  for (const group of entries.split("|")) {
    const [abbreviation, spellings] = group.split("=");
    if (!abbreviation || spellings === undefined) continue;
    result[abbreviation] = abbreviation;
    for (const spelling of spellings.split(",")) if (spelling) result[spelling] = abbreviation;
  }
  return result;
}

const NUMBER_INDICATORS = words("number=num,numero,no");
const DIRECTIONALS = words(
  "e=east|n=north|s=south,so|w=west|ne=northeast|nw=northwest|se=southeast|sw=southwest",
);

const DEFAULT_SUFFIXES = words(
  "ave=avenue|blvd=bouled,boulevard|cir=circle|cirs=circles|ct=court|ctr=centre,center|dr=drive|" +
    "fwy=freeway,frwy|hwy=highway|ln=lane|park=parks|pkwy=parkways,pky,pkway,pkwys,parkway,parkwy|pl=place|" +
    "plz=plaza,plza|rd=road|sq=square,squ,sqr|st=street,str",
);

const US_SUFFIXES = words(
  "aly=alley,allee,ally|anx=annex,annx,anex|arc=arcade|ave=av,avenu,avenue,aven,avnue,avn|bch=beach|" +
    "bg=burg|bgs=burgs|blf=bluff,bluf|blfs=bluffs|blvd=boulv,bouled,boul,boulevard|bnd=bend|" +
    "br=branch,brnch|brg=brdge,bridge|brk=brook|brks=brooks|btm=bot,bottm,bottom|byp=bypass,bypas,byps,bypa|" +
    "byu=bayou,bayoo|cir=crcl,crcle,circle,circl,circ|cirs=circles|clb=club|clf=cliff|clfs=cliffs|" +
    "cmn=common|cmns=commons|cor=corner|cors=corners|cp=cmp,camp|cpe=cape|cres=crescent,crsnt,crsent|" +
    "crk=creek|crse=course|crst=crest|cswy=causeway,causwa|ct=court|ctr=centr,cen,cntr,centre,cnter,cent,center|" +
    "ctrs=centers|cts=courts|curv=curve|cv=cove|cvs=coves|cyn=cnyn,canyn,canyon|dl=dale|dm=dam|" +
    "dr=driv,drive,drv|drs=drives|dv=dvd,divide,div|est=estate|ests=estates|" +
    "expy=expressway,expw,expr,exp,express|ext=extension,extn,extnsn|exts=extensions|fld=field|" +
    "flds=fields|fls=falls|flt=flat|flts=flats|frd=ford|frds=fords|frg=forge,forg|frgs=forges|frk=fork|" +
    "frks=forks|frst=forests,forest|fry=frry,ferry|ft=fort,frt|fwy=freewy,frway,freeway,frwy|" +
    "gdn=grden,garden,grdn,gardn|gdns=gardens,grdns|gln=glen|glns=glens|grn=green|grns=greens|" +
    "grv=grov,grove|grvs=groves|gtwy=gatway,gateway,gatewy,gtway|hbr=hrbor,harbor,harb,harbr|hbrs=harbors|" +
    "hl=hill|hls=hills|holw=hllw,holws,hollow,hollows|hts=heights,ht|hvn=haven|" +
    "hwy=highwy,highway,hiwy,hway,hiway|inlt=inlet|is=island,islnd|isle=isles|iss=islands,islnds|" +
    "jct=juncton,jctn,jction,junctn,junction|jcts=jctns,junctions|knl=knoll,knol|knls=knolls|ky=key|" +
    "kys=keys|lck=lock|lcks=locks|ldg=lodge,lodg,ldge|lf=loaf|lgt=light|lgts=lights|lk=lake|lks=lakes|" +
    "ln=lane|lndg=landing,lndng|loop=loops|mdw=meadow|mdws=meadows,medows|ml=mill|mls=mills|mnr=manor|" +
    "mnrs=manors|msn=mission,mssn,missn|mt=mnt,mount|mtn=mntn,mountain,mountin,mntain,mtin|mtns=mountains|" +
    "mtwy=motorway|nck=neck|opas=overpass|orch=orchard,orchrd|oval=ovl|park=prk,parks|path=paths|pike=pikes|" +
    "pkwy=parkways,pky,pkway,pkwys,parkway,parkwy|pl=place|pln=plain|plns=plains|plz=plaza,plza|pne=pine|" +
    "pnes=pines|pr=prr,prairie|prt=port|prts=ports|psge=passage|pt=point|pts=points|" +
    "radl=rad,radiel,radial|rd=road|rdg=ridge,rdge|rdgs=ridges|rds=roads|riv=river,rvr,rivr|" +
    "rnch=rnchs,ranches,ranch|rpd=rapid|rpds=rapids|rst=rest|rte=route|shl=shoal|shls=shoals|" +
    "shr=shoar,shore|shrs=shores|skwy=skyway|smt=sumit,summit,sumitt|spg=sprng,spring,spng|" +
    "spgs=spngs,sprngs,springs|spur=spurs|sq=sqre,square,squ,sqr|sqs=squares,sqrs|st=street,str,strt|" +
    "sta=station,stn,statn|stra=straven,strav,strvn,stravenue,stravn,strvnue|strm=streme,stream|" +
    "sts=streets|ter=terr,terrace|tpke=turnpike,trnpk,turnpk|trak=trk,trks,tracks,track|trce=traces,trace|" +
    "trfy=trafficway|trl=trails,trls,trail|trlr=trlrs,trailer|trwy=throughway|" +
    "tunl=tunel,tunnel,tunnl,tunls,tunnels|un=union|uns=unions|upas=underpass|via=viadct,viaduct,vdct|" +
    "vis=vista,vsta,vist,vst|vl=ville|vlg=vill,village,villag,villiage,villg|vlgs=villages|" +
    "vly=vlly,valley,vally|vlys=valleys|vw=view|vws=views|walk=walks|way=wy|wl=well|wls=wells|" +
    "xing=crossing,crssng|xrd=crossroad|xrds=crossroads",
);

const US_UNITS = words(
  "apt=apartment,appt|dept=department|hngr=hanger,hangar|rm=room|spc=space|ste=suite|trlr=trailer|" +
    "fl=floor|bldg=building|bsmt=basement|frnt=front|lbby=lobby|lowr=lower|ofc=office|ph=penthouse|uppr=upper",
);

const GB_WORDS = words(
  "ave=avenue|cl=close|cres=crescent|ct=court|dr=drive|gdns=gardens|gr=grove|ln=lane|pde=parade|" +
    "pl=place|rd=road|sq=square|st=street|ter=terrace|wlk=walk|flat=flt|apt=apartment|ltd=limited|plc=plc",
);
const FR_WORDS = words(
  "allee=all|avenue=av,ave|boulevard=bd,blvd,bouled|chemin=che|impasse=imp|place=pl|route=rte|rue=r",
);
const ES_WORDS = words("calle=c,cl|avenida=av,avda|plaza=pl,pza|paseo=po|carretera=ctra|camino=cno");
const IT_WORDS = words(
  "piazza=pzza,pza|piazzale=ple|piazzetta=ptta|largo=lgo|viale=vle|corso=cso|vicolo=vlo|via=v",
);

const BASE = { ...NUMBER_INDICATORS, ...DIRECTIONALS };
const DEFAULT_WORDS: Words = { ...BASE, ...DEFAULT_SUFFIXES };

export const ADDRESS_WORDS: Record<string, Words> = {
  US: { ...BASE, ...US_SUFFIXES, ...US_UNITS },
  GB: { ...BASE, ...GB_WORDS },
  // Amazon applies the French designators before the default suffixes, so the defaults win on overlap.
  FR: { ...BASE, ...FR_WORDS, ...DEFAULT_SUFFIXES },
  ES: { ...DEFAULT_WORDS, ...ES_WORDS },
  IT: { ...DEFAULT_WORDS, ...IT_WORDS },
};

export function addressWords(country: string): Words {
  return ADDRESS_WORDS[country] ?? DEFAULT_WORDS;
}
