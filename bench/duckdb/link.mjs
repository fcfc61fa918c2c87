// The linker's Fellegi-Sunter model written as SQL and run in DuckDB (the engine Splink uses),
// on the same register and query files as `liaison link`: the peer of bench/linkage_bench.sh.
//   node link.mjs REGISTER.csv QUERIES.csv OUT.csv MODEL.json NICKNAMES.txt [THREADS]
// Prints the seconds for loading, linking and writing. Same standardisation, comparison levels,
// weights (from the model file), term-frequency adjustment and bands as src/linkage, with two
// differences stated in docs/linkage.md: DuckDB has no NYSIIS, so the phonetic blocking keys
// are exact-name keys and the phonetic levels never fire.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [registerPath, queriesPath, outPath, modelPath, nicknamesPath, threads = '2'] =
  process.argv.slice(2);
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const sql = (s) => `'${String(s).replaceAll("'", "''")}'`;

// Nickname groups as (name, group) rows.
const nicknameRows = [];
readFileSync(nicknamesPath, 'utf8').split('\n').forEach((line) => {
  const names = line.split('#')[0].split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  if (names.length >= 2) {
    const group = nicknameRows.length ? nicknameRows[nicknameRows.length - 1][1] + 1 : 0;
    names.forEach((n) => nicknameRows.push([n, group]));
  }
});

const weight = (field, level) => {
  const p = model.comparisons[field].levels[level];
  return Math.log2(p.m / p.u);
};
const levelCase = (field, column) => {
  const levels = Object.keys(model.comparisons[field].levels);
  return `CASE ${column} ${levels.map((l) => `WHEN ${sql(l)} THEN ${weight(field, l)}`).join(' ')} ELSE 0 END`;
};
const u = (field, level) => model.comparisons[field].levels[level].u;

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const db = await instance.connect();
const run = (text) => db.run(text);
const t0 = performance.now();

// Folding: upper case, accents stripped, apostrophes dropped, other punctuation to spaces.
await run(`CREATE MACRO fold(x) AS trim(regexp_replace(regexp_replace(upper(strip_accents(coalesce(x, ''))), '[''’]', '', 'g'), '[^A-Z0-9]+', ' ', 'g'))`);
await run(`CREATE MACRO placeholder(t) AS t IN ('BABY','BABYOF','INFANT','NEWBORN','NN','UNKNOWN','UNK','NK','NOTKNOWN','TWIN','TRIPLET','BOY','GIRL','MALE','FEMALE','BO','CHILD','UNNAMED','NONAME','XX','XXX','TEST')`);
await run(`CREATE MACRO nhs_valid(x) AS CASE WHEN regexp_full_match(replace(replace(coalesce(x,''),' ',''),'-',''), '[0-9]{10}') THEN
  (SELECT CASE WHEN c = 11 THEN 0 ELSE c END = CAST(d[10] AS INT) AND c <> 10 FROM (SELECT d, 11 - (
    CAST(d[1] AS INT)*10 + CAST(d[2] AS INT)*9 + CAST(d[3] AS INT)*8 + CAST(d[4] AS INT)*7 + CAST(d[5] AS INT)*6 +
    CAST(d[6] AS INT)*5 + CAST(d[7] AS INT)*4 + CAST(d[8] AS INT)*3 + CAST(d[9] AS INT)*2) % 11 AS c
    FROM (SELECT replace(replace(x,' ',''),'-','') AS d)))
  ELSE false END`);
await run(`CREATE TABLE nick(name VARCHAR, grp INT)`);
if (nicknameRows.length) {
  await run(`INSERT INTO nick VALUES ${nicknameRows.map(([n, g]) => `(fold(${sql(n)}), ${g})`).join(',')}`);
}

const standardise = (table, path) => `
CREATE TABLE ${table} AS
WITH raw AS (
  SELECT row_number() OVER () AS row_no, * FROM read_csv(${sql(path)}, header = true, all_varchar = true, quote = '"')
), folded AS (
  SELECT row_no, id,
    CASE WHEN nhs_valid(trim(nhs_number)) THEN replace(replace(trim(nhs_number),' ',''),'-','') END AS nhs,
    string_split(fold(given_name), ' ') AS gt,
    fold(family_name) AS fam,
    try_cast(birth_date AS DATE) AS dob,
    CASE lower(trim(coalesce(sex,''))) WHEN 'female' THEN 'F' WHEN 'f' THEN 'F' WHEN 'male' THEN 'M' WHEN 'm' THEN 'M' WHEN 'other' THEN 'O' END AS sx,
    upper(regexp_replace(coalesce(postcode,''), '[ -]', '', 'g')) AS pc_raw
  FROM raw
)
SELECT row_no, id, nhs,
  CASE WHEN gt[1] = '' OR placeholder(gt[1]) OR (len(gt) >= 2 AND gt[1] = 'B' AND gt[2] = 'O')
         OR (len(gt) >= 2 AND gt[1] = 'NOT' AND gt[2] = 'KNOWN') OR (len(gt) = 1 AND length(gt[1]) = 1)
       THEN NULL ELSE gt[1] END AS given,
  CASE WHEN len(gt) > 1 THEN list_filter(gt[2:], t -> length(t) >= 2) ELSE [] END AS other_given,
  CASE WHEN fam IN ('', 'UNKNOWN','UNK','NK','NOTKNOWN','NOT KNOWN','XX','XXX') THEN NULL ELSE fam END AS family,
  dob, year(dob) AS yob, month(dob) AS mob, day(dob) AS dd,
  (month(dob) = 1 AND day(dob) = 1) AS dob_est,
  sx,
  CASE WHEN regexp_full_match(pc_raw, '[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}')
       THEN left(pc_raw, length(pc_raw) - 3) || ' ' || right(pc_raw, 3) END AS pc,
  CASE WHEN regexp_full_match(pc_raw, '[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}')
       THEN left(pc_raw, length(pc_raw) - 3) END AS district
FROM folded`;
await run(standardise('reg', registerPath));
await run(standardise('qry', queriesPath));
await run(`ALTER TABLE reg ADD COLUMN grps INT[]`);
await run(`UPDATE reg SET grps = (SELECT list(grp ORDER BY grp) FROM nick WHERE nick.name = reg.given)`);
await run(`ALTER TABLE qry ADD COLUMN grps INT[]`);
await run(`UPDATE qry SET grps = (SELECT list(grp ORDER BY grp) FROM nick WHERE nick.name = qry.given)`);
const tLoad = performance.now();

// Term frequencies from the register, smoothed as in src/linkage/register_index.cc.
const n = Number((await db.runAndReadAll('SELECT count(*) FROM reg')).getRows()[0][0]);
const k = model.term_frequency.prior_records;
const tfMin = model.term_frequency.minimum;
const tfAdj = (field, level, column) => model.comparisons[field].term_frequency
  ? `log2(${u(field, level)}) - log2(greatest((count(*) OVER (PARTITION BY ${column}) + ${k} * ${u(field, level)}) / (${n} + ${k}), ${tfMin}))`
  : '0';
await run(`CREATE TABLE reg2 AS SELECT *,
  CASE WHEN given IS NULL THEN 0 ELSE ${tfAdj('given_name', 'exact', 'given')} END AS tf_given,
  CASE WHEN family IS NULL THEN 0 ELSE ${tfAdj('family_name', 'exact', 'family')} END AS tf_family,
  CASE WHEN pc IS NULL THEN 0 ELSE ${tfAdj('postcode', 'exact', 'pc')} END AS tf_pc,
  (count(DISTINCT given) OVER (PARTITION BY family, dob) > 1 AND family IS NOT NULL AND dob IS NOT NULL) AS multiple_birth
  FROM reg`);
const lambda = Math.min(model.prior.on_register_rate / Math.max(n, 1), 0.5);
const prior = Math.log2(lambda / (1 - lambda));

// Blocking: a union of equi-joins (exact names where we use NYSIIS keys).
const blocks = [
  'q.nhs = r.nhs',
  'q.dob = r.dob',
  `q.dd <= 12 AND r.dob = make_date(q.yob, q.dd, q.mob)`,
  'q.yob = r.yob AND q.family = r.family',
  'q.given = r.given AND q.family = r.family',
  'q.given = r.family AND q.family = r.given',
  'q.pc = r.pc AND left(q.given, 1) = left(r.given, 1)',
  'q.district = r.district AND q.family = r.family',
  'q.yob = r.yob AND q.mob = r.mob AND left(q.given, 1) = left(r.given, 1)',
  'q.pc = r.pc AND q.yob = r.yob',
];
await run(`CREATE TABLE pairs AS ${blocks.map((b) => `SELECT q.row_no AS q, r.row_no AS r FROM qry q JOIN reg2 r ON ${b}`).join(' UNION ')}`);
await run(`CREATE TABLE scored AS
WITH g AS (
  SELECT p.q, p.r, r.id AS rid, r.multiple_birth, r.tf_given, r.tf_family, r.tf_pc,
    CASE WHEN q.nhs IS NULL OR r.nhs IS NULL THEN 'null' WHEN q.nhs = r.nhs THEN 'exact' ELSE 'different' END AS l_nhs,
    CASE WHEN q.given IS NULL OR r.given IS NULL THEN 'null'
         WHEN q.given = r.given THEN 'exact'
         WHEN q.family IS NOT NULL AND r.family IS NOT NULL AND q.family <> r.family
              AND (q.given = r.family OR jaro_winkler_similarity(q.given, r.family) >= 0.92)
              AND (q.family = r.given OR jaro_winkler_similarity(q.family, r.given) >= 0.92) THEN 'swapped'
         WHEN list_has_any(q.grps, r.grps) THEN 'nickname'
         WHEN jaro_winkler_similarity(q.given, r.given) >= 0.92 THEN 'jw_0.92'
         WHEN jaro_winkler_similarity(q.given, r.given) >= 0.88 THEN 'jw_0.88'
         WHEN list_contains(r.other_given, q.given) OR list_contains(q.other_given, r.given) THEN 'other_given'
         WHEN jaro_winkler_similarity(q.given, r.given) >= 0.70 THEN 'jw_0.70'
         ELSE 'different' END AS l_given,
    CASE WHEN q.family IS NULL OR r.family IS NULL THEN 'null'
         WHEN q.family = r.family THEN 'exact'
         WHEN (contains(q.family, ' ') OR contains(r.family, ' '))
              AND len(list_intersect(list_filter(string_split(q.family, ' '), t -> length(t) >= 2), string_split(r.family, ' '))) > 0 THEN 'token'
         WHEN jaro_winkler_similarity(q.family, r.family) >= 0.92 THEN 'jw_0.92'
         WHEN jaro_winkler_similarity(q.family, r.family) >= 0.88 THEN 'jw_0.88'
         ELSE 'different' END AS l_family_raw,
    CASE WHEN q.dob IS NULL OR r.dob IS NULL THEN 'null'
         WHEN q.dob = r.dob THEN CASE WHEN q.dob_est OR r.dob_est THEN 'exact_estimated' ELSE 'exact' END
         WHEN q.yob = r.yob AND q.mob = r.dd AND q.dd = r.mob THEN 'day_month_swapped'
         WHEN hamming(strftime(q.dob, '%Y%m%d'), strftime(r.dob, '%Y%m%d')) = 1
              OR damerau_levenshtein(strftime(q.dob, '%Y%m%d'), strftime(r.dob, '%Y%m%d')) = 1 THEN 'one_digit'
         WHEN q.yob = r.yob AND q.mob = r.mob THEN 'same_year_month'
         WHEN (q.dob_est OR r.dob_est) AND abs(date_diff('day', q.dob, r.dob)) <= 366 THEN 'within_year_estimated'
         ELSE 'different' END AS l_dob,
    CASE WHEN q.sx IS NULL OR r.sx IS NULL THEN 'null' WHEN q.sx = r.sx THEN 'same' ELSE 'different' END AS l_sex,
    CASE WHEN q.pc IS NULL OR r.pc IS NULL THEN 'null' WHEN q.pc = r.pc THEN 'exact'
         WHEN left(q.pc, length(q.district) + 2) = left(r.pc, length(r.district) + 2) THEN 'sector'
         WHEN q.district = r.district THEN 'district'
         WHEN regexp_extract(q.district, '^[A-Z]+') = regexp_extract(r.district, '^[A-Z]+') THEN 'area'
         ELSE 'different' END AS l_pc
  FROM pairs p JOIN qry q ON q.row_no = p.q JOIN reg2 r ON r.row_no = p.r
), w AS (
  SELECT *, CASE WHEN l_given = 'swapped' THEN 'null' ELSE l_family_raw END AS l_family FROM g
)
SELECT q, r, rid,
  ${prior} + ${levelCase('nhs_number', 'l_nhs')} + ${levelCase('given_name', 'l_given')}
    + ${levelCase('family_name', 'l_family')} + ${levelCase('birth_date', 'l_dob')}
    + ${levelCase('sex', 'l_sex')} + ${levelCase('postcode', 'l_pc')}
    + CASE WHEN l_given = 'exact' THEN tf_given ELSE 0 END
    + CASE WHEN l_family = 'exact' THEN tf_family ELSE 0 END
    + CASE WHEN l_pc = 'exact' THEN tf_pc ELSE 0 END AS mw,
  (l_nhs = 'different')
  OR (l_family IN ('exact','token') AND l_dob IN ('exact','exact_estimated') AND l_pc = 'exact'
      AND l_given IN ('jw_0.88','phonetic','other_given','jw_0.70','different'))
  OR (l_family IN ('exact','token') AND l_dob IN ('exact','exact_estimated') AND l_sex = 'different')
  OR (multiple_birth AND NOT (l_given = 'exact' OR (l_nhs = 'exact' AND l_given IN ('null','nickname','jw_0.92'))))
    AS conflict,
  (l_nhs = 'exact' OR l_given NOT IN ('null','different','jw_0.70') OR l_dob NOT IN ('null','different')) AS identifies
FROM w`);
const b = model.bands;
await run(`CREATE TABLE best AS
WITH ranked AS (
  SELECT *, row_number() OVER (PARTITION BY q ORDER BY mw DESC) AS rank FROM scored
), top2 AS (
  SELECT q, max(CASE WHEN rank = 1 THEN rid END) AS rid, max(CASE WHEN rank = 1 THEN mw END) AS mw,
         max(CASE WHEN rank = 2 THEN mw END) AS second, bool_or(rank = 1 AND conflict) AS conflict,
         bool_or(rank = 1 AND identifies) AS identifies
  FROM ranked WHERE rank <= 2 GROUP BY q
)
SELECT q, rid, mw, CASE WHEN mw > 60 THEN 1.0 ELSE pow(2, mw) / (1 + pow(2, mw)) END AS p, second, conflict, identifies FROM top2`);
await run(`COPY (
  SELECT qry.id AS query_id,
    CASE WHEN b.p >= ${b.potential_probability} AND b.identifies THEN b.rid ELSE '' END AS register_id,
    CASE WHEN NOT coalesce(b.identifies, false) THEN 'no_match'
         WHEN b.p >= ${b.match_probability} AND (b.second IS NULL OR b.mw - b.second >= ${b.margin_bits}) AND NOT b.conflict THEN 'match'
         WHEN b.p >= ${b.potential_probability} THEN 'potential' ELSE 'no_match' END AS band,
    printf('%.6f', coalesce(b.p, 0)) AS probability
  FROM qry LEFT JOIN best b ON b.q = qry.row_no ORDER BY qry.row_no
) TO ${sql(outPath)} (HEADER, DELIMITER ',', QUOTE '')`);
const tEnd = performance.now();
const pairs = Number((await db.runAndReadAll('SELECT count(*) FROM pairs')).getRows()[0][0]);
console.log(`duckdb: load+standardise ${((tLoad - t0) / 1000).toFixed(3)} s, link ${((tEnd - tLoad) / 1000).toFixed(3)} s, total ${((tEnd - t0) / 1000).toFixed(3)} s, pairs ${pairs}`);
