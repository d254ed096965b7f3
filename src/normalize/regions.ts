// State/province names → codes, per country: USPS for US, Canada Post for CA, ISO 3166-2 suffixes
// elsewhere (the same tables Amazon's AMC uploader normalizes with). Keys are alphanumeric-folded names.
type Table = Record<string, string>;

function table(entries: string): Table {
  const result: Table = {};
  for (const entry of entries.split("|")) {
    const [name, code] = entry.split(":");
    if (name && code) result[name] = code;
  }
  return result;
}

const US = table(
  "alabama:al|alaska:ak|arizona:az|arkansas:ar|california:ca|colorado:co|connecticut:ct|delaware:de|" +
    "districtofcolumbia:dc|washingtondc:dc|florida:fl|georgia:ga|hawaii:hi|idaho:id|illinois:il|indiana:in|" +
    "iowa:ia|kansas:ks|kentucky:ky|louisiana:la|maine:me|maryland:md|massachusetts:ma|michigan:mi|" +
    "minnesota:mn|mississippi:ms|missouri:mo|montana:mt|nebraska:ne|nevada:nv|newhampshire:nh|newjersey:nj|" +
    "newmexico:nm|newyork:ny|northcarolina:nc|northdakota:nd|ohio:oh|oklahoma:ok|oregon:or|pennsylvania:pa|" +
    "rhodeisland:ri|southcarolina:sc|southdakota:sd|tennessee:tn|texas:tx|utah:ut|vermont:vt|virginia:va|" +
    "washington:wa|westvirginia:wv|wisconsin:wi|wyoming:wy|puertorico:pr|guam:gu|virginislands:vi|" +
    "usvirginislands:vi|americansamoa:as|northernmarianaislands:mp|armedforcesamericas:aa|" +
    "armedforceseurope:ae|armedforcespacific:ap",
);

const CA = table(
  "alberta:ab|britishcolumbia:bc|colombiebritannique:bc|manitoba:mb|newbrunswick:nb|nouveaubrunswick:nb|" +
    "newfoundlandandlabrador:nl|newfoundland:nl|terreneuveetlabrador:nl|northwestterritories:nt|" +
    "territoiresdunordouest:nt|novascotia:ns|nouvelleecosse:ns|nunavut:nu|ontario:on|princeedwardisland:pe|" +
    "ileduprinceedouard:pe|quebec:qc|saskatchewan:sk|yukon:yt",
);

const DE = table(
  "badenwuerttemberg:bw|badenwurttemberg:bw|bayern:by|bavaria:by|berlin:be|brandenburg:bb|bremen:hb|" +
    "hamburg:hh|hessen:he|hesse:he|niedersachsen:ni|lowersaxony:ni|mecklenburgvorpommern:mv|" +
    "nordrheinwestfalen:nw|northrhinewestphalia:nw|rheinlandpfalz:rp|rhinelandpalatinate:rp|saarland:sl|" +
    "sachsen:sn|saxony:sn|sachsenanhalt:st|saxonyanhalt:st|schleswigholstein:sh|thueringen:th|thuringen:th|" +
    "thuringia:th",
);

const FR = table(
  "alsace:aa|aquitaine:aq|auvergne:au|bretagne:bt|brittany:bt|bourgogne:bg|burgundy:bg|centre:cn|" +
    "champagneardenne:cg|franchecomte:fc|iledefrance:if|languedocroussillon:lu|limousin:lm|lorraine:le|" +
    "bassenormandie:bn|lowernormandy:bn|midipyrenees:mp|nordpasdecalais:np|paysdelaloire:pl|picardie:pi|" +
    "picardy:pi|poitoucharentes:pt|provencealpescotedazur:pr|rhonealpes:ra|hautenormandie:ht|" +
    "uppernormandy:ht|corse:ce|corsica:ce",
);

const ES = table(
  "alicante:a|alacant:a|albacete:ab|almeria:al|avila:av|barcelona:b|badajoz:ba|vizcaya:bi|bizkaia:bi|" +
    "burgos:bu|lacoruna:c|acoruna:c|cadiz:ca|caceres:cc|ceuta:ce|cordoba:co|ciudadreal:cr|castellon:cs|" +
    "castello:cs|cuenca:cu|laspalmas:gc|girona:gi|gerona:gi|granada:gr|guadalajara:gu|huelva:h|huesca:hu|" +
    "jaen:j|lerida:l|lleida:l|leon:le|larioja:lo|lugo:lu|madrid:m|malaga:ma|melilla:ml|murcia:mu|" +
    "navarra:na|nafarroa:na|asturias:o|orense:or|ourense:or|palencia:p|baleares:pm|balears:pm|" +
    "illesbalears:pm|pontevedra:po|cantabria:s|salamanca:sa|sevilla:se|seville:se|segovia:sg|soria:so|" +
    "guipuzcoa:ss|gipuzkoa:ss|tarragona:t|teruel:te|santacruzdetenerife:tf|toledo:to|valencia:v|" +
    "valladolid:va|alava:vi|araba:vi|zaragoza:z|zamora:za",
);

const IT = table(
  "agrigento:ag|alessandria:al|ancona:an|aosta:ao|arezzo:ar|ascolipiceno:ap|asti:at|avellino:av|bari:ba|" +
    "barlettaandriatrani:bt|belluno:bl|benevento:bn|bergamo:bg|biella:bi|bologna:bo|bolzano:bz|" +
    "southtyrol:bz|brescia:bs|brindisi:br|cagliari:ca|caltanissetta:cl|campobasso:cb|caserta:ce|catania:ct|" +
    "catanzaro:cz|chieti:ch|como:co|cosenza:cs|cremona:cr|crotone:kr|cuneo:cn|enna:en|fermo:fm|ferrara:fe|" +
    "firenze:fi|florence:fi|foggia:fg|forlicesena:fc|frosinone:fr|genova:ge|genoa:ge|gorizia:go|" +
    "grosseto:gr|imperia:im|isernia:is|laspezia:sp|laquila:aq|latina:lt|lecce:le|lecco:lc|livorno:li|" +
    "lodi:lo|lucca:lu|macerata:mc|mantova:mn|mantua:mn|massacarrara:ms|matera:mt|messina:me|milano:mi|" +
    "milan:mi|modena:mo|monzaebrianza:mb|napoli:na|naples:na|novara:no|nuoro:nu|oristano:or|padova:pd|" +
    "padua:pd|palermo:pa|parma:pr|pavia:pv|perugia:pg|pesarourbino:pu|pescara:pe|piacenza:pc|pisa:pi|" +
    "pistoia:pt|pordenone:pn|potenza:pz|prato:po|ragusa:rg|ravenna:ra|reggiocalabria:rc|reggioemilia:re|" +
    "rieti:ri|rimini:rn|roma:rm|rome:rm|rovigo:ro|salerno:sa|sassari:ss|savona:sv|siena:si|siracusa:sr|" +
    "syracuse:sr|sondrio:so|taranto:ta|teramo:te|terni:tr|torino:to|turin:to|trapani:tp|trento:tn|" +
    "treviso:tv|trieste:ts|udine:ud|varese:va|venezia:ve|venice:ve|verbanocusioossola:vb|vercelli:vc|" +
    "verona:vr|vibovalentia:vv|vicenza:vi|viterbo:vt",
);

const IN = table(
  "andhrapradesh:ap|arunachalpradesh:ar|assam:as|bihar:br|chhattisgarh:ct|goa:ga|gujarat:gj|haryana:hr|" +
    "himachalpradesh:hp|jharkhand:jh|karnataka:ka|kerala:kl|madhyapradesh:mp|maharashtra:mh|manipur:mn|" +
    "meghalaya:ml|mizoram:mz|nagaland:nl|odisha:or|orissa:or|punjab:pb|rajasthan:rj|sikkim:sk|" +
    "tamilnadu:tn|telangana:tg|tripura:tr|uttarpradesh:up|uttarakhand:ut|westbengal:wb|delhi:dl|" +
    "newdelhi:dl|jammuandkashmir:jk|ladakh:la|puducherry:py|chandigarh:ch|lakshadweep:ld|" +
    "andamanandnicobarislands:an|dadraandnagarhavelianddamananddiu:dh",
);

const AU = table(
  "newsouthwales:nsw|victoria:vic|queensland:qld|southaustralia:sa|westernaustralia:wa|tasmania:tas|" +
    "northernterritory:nt|australiancapitalterritory:act",
);

export const REGION_TABLES: Record<string, Table> = { US, CA, DE, FR, ES, IT, IN, AU };
