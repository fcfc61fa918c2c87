-- bench/sql/sweep_rules.sqlite.sql: the sweep's rules as SQL for SQLite (sqlite3 CLI).
-- What a trust analyst would write today: the sweep's main rules as one SQL statement over a
-- flat attendances table loaded from the generator's CSV (bench/sweep_bench.sh). An
-- approximation of the engine, and a generous one to SQL: text matching is LIKE without
-- negation and with few synonyms, and history is a window count. The result is written to a
-- table in the worklist order, so the database does all the work the sweep does.
DROP TABLE IF EXISTS worklist;
CREATE TABLE worklist AS
WITH base AS (
  SELECT attendance_id, site, arrival,
         CASE WHEN patient_nhs_number <> '' THEN 'nhs:' || patient_nhs_number
              WHEN patient_local_id <> '' THEN 'local:' || site || ':' || patient_local_id
              ELSE 'attendance:' || site || ':' || attendance_id END AS person_key,
         CAST(julianday(substr(arrival, 1, 10)) - julianday(NULLIF(patient_birth_date, '')) AS INTEGER) AS age_days,
         julianday(substr(arrival, 1, 19)) AS t,
         mobility, explanation, patient_pregnant, concerns, injury_intent,
         ' ' || injury_1_type || ' ' || injury_2_type || ' ' || injury_3_type || ' ' ||
           injury_4_type || ' ' AS types,
         ' ' || injury_1_site || ' ' || injury_2_site || ' ' || injury_3_site || ' ' ||
           injury_4_site || ' ' AS sites,
         ' ' || injury_1_pattern || ' ' || injury_2_pattern || ' ' || injury_3_pattern || ' ' ||
           injury_4_pattern || ' ' AS patterns,
         ' ' || diagnosis_1_code || ' ' || diagnosis_2_code || ' ' || diagnosis_3_code || ' ' AS codes,
         lower(presenting_complaint || ' ' || notes || ' ' || injury_mechanism || ' ' ||
               diagnosis_1_display || ' ' || diagnosis_2_display || ' ' || diagnosis_3_display) AS text
  FROM attendances
),
facts AS (
  SELECT b.*,
    (mobility = 'not_independently_mobile' OR (mobility IN ('', 'unknown') AND age_days < 183)) AS nim,
    (types LIKE '% bruise %' OR types LIKE '% petechiae %' OR codes LIKE '% S_0.%' OR text LIKE '%bruis%'
       OR text LIKE '%haematoma%' OR text LIKE '%petechia%') AS bruise,
    (types LIKE '% fracture %' OR codes LIKE '% S_2.%' OR text LIKE '%fractur%') AS fracture,
    (types LIKE '% burn %' OR types LIKE '% scald %' OR codes LIKE '% T2%' OR codes LIKE '% T3_.%'
       OR text LIKE '%burn%' OR text LIKE '%scald%') AS burn,
    (types LIKE '% intracranial %' OR codes LIKE '% S06%' OR text LIKE '%subdural%'
       OR text LIKE '%intracranial%') AS intracranial,
    (types LIKE '% poisoning %' OR codes LIKE '% T4%' OR codes LIKE '% T5%' OR text LIKE '%ingest%'
       OR text LIKE '%poison%' OR text LIKE '%swallowed%') AS poisoning,
    (types LIKE '% oral %' OR text LIKE '%frenulum%' OR text LIKE '%torn lip%') AS oral,
    (types LIKE '% anogenital %' OR text LIKE '%genital injur%' OR text LIKE '%perianal%') AS anogenital,
    (codes LIKE '% A54%' OR codes LIKE '% A56%' OR codes LIKE '% A53%' OR codes LIKE '% A60%'
       OR codes LIKE '% B20%' OR text LIKE '%chlamydia%' OR text LIKE '%gonorrh%'
       OR text LIKE '%syphilis%') AS sti,
    (concerns LIKE '%self_harm%' OR injury_intent = 'self_inflicted' OR codes LIKE '% X6%'
       OR codes LIKE '% X7%' OR text LIKE '%overdose%' OR text LIKE '%self-harm%'
       OR text LIKE '%self harm%') AS self_harm,
    (concerns <> '' OR text LIKE '%domestic abuse%' OR text LIKE '%intoxicat%'
       OR text LIKE '%suicidal%') AS adult_concern,
    (text LIKE '%neglect%' OR text LIKE '%unkempt%' OR text LIKE '%head lice%'
       OR text LIKE '%faltering growth%' OR text LIKE '%severe nappy rash%') AS neglect,
    count(*) OVER (PARTITION BY person_key ORDER BY t RANGE BETWEEN 365 PRECEDING AND CURRENT ROW)
      AS visits_365
  FROM base b
),
history AS (
  SELECT f.*,
    sum(CASE WHEN poisoning THEN 1 ELSE 0 END) OVER (PARTITION BY person_key ORDER BY t
        RANGE BETWEEN 365 PRECEDING AND CURRENT ROW) AS poisonings_365
  FROM facts f
),
findings AS (
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-BR-NIM' AS rule, 4 AS level
    FROM history WHERE bruise AND nim AND age_days < 6570
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-BR-PATTERN', 4
    FROM history WHERE bruise AND (patterns LIKE '% hand %' OR patterns LIKE '% grip %'
      OR patterns LIKE '% ligature %' OR patterns LIKE '% loop %' OR patterns LIKE '% implement %'
      OR text LIKE '%hand-shaped%' OR text LIKE '%grip mark%' OR text LIKE '%loop mark%')
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'TEN4FACESP',
         CASE WHEN explanation = 'not_recorded' THEN 3 ELSE 4 END
    FROM history WHERE bruise AND explanation <> 'suitable' AND (age_days <= 150 OR (age_days < 1461 AND
      (sites LIKE '% torso %' OR sites LIKE '% ear %' OR sites LIKE '% neck %' OR sites LIKE '% frenulum %'
       OR sites LIKE '% cheek %' OR sites LIKE '% eyelid %' OR sites LIKE '% buttock %'
       OR sites LIKE '% back %' OR sites LIKE '% abdomen %' OR sites LIKE '% chest %')))
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-BITE-HUMAN', 4
    FROM history WHERE types LIKE '% bite_human %' OR text LIKE '%human bite%'
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-BITE-ANIMAL', 3
    FROM history WHERE (types LIKE '% bite_animal %' OR text LIKE '%dog bite%')
      AND (text LIKE '%unsupervised%' OR text LIKE '%left alone%')
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-BURN',
         CASE WHEN explanation = 'not_recorded' AND NOT nim THEN 3 ELSE 4 END
    FROM history WHERE burn AND age_days < 6570 AND (nim OR explanation IN ('absent', 'unsuitable')
      OR sites LIKE '% sole %' OR sites LIKE '% buttock %' OR sites LIKE '% back %'
      OR patterns LIKE '% cigarette %' OR patterns LIKE '% iron %' OR patterns LIKE '% immersion %'
      OR patterns LIKE '% glove %' OR patterns LIKE '% stocking %')
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-FX',
         CASE WHEN nim OR explanation IN ('absent', 'unsuitable') THEN 4 ELSE 3 END
    FROM history WHERE fracture AND age_days < 6570 AND explanation <> 'suitable'
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-ICI', 4
    FROM history WHERE intracranial AND age_days < 1096
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-ORAL',
         CASE WHEN age_days < 183 THEN 4 ELSE 3 END
    FROM history WHERE oral AND age_days < 6570 AND explanation <> 'suitable'
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-POISON',
         CASE WHEN nim OR explanation IN ('absent', 'unsuitable') THEN 4 ELSE 3 END
    FROM history WHERE poisoning AND age_days < 1826
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-POISON-REPEAT', 3
    FROM history WHERE poisoning AND poisonings_365 >= 2 AND age_days < 6570
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-STI-U13', 4
    FROM history WHERE sti AND age_days < 4748
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-PREG',
         CASE WHEN age_days < 4748 THEN 4 ELSE 3 END
    FROM history WHERE patient_pregnant = 'true' AND age_days < 5844
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-ANOGENITAL',
         CASE WHEN explanation = 'not_recorded' THEN 3 ELSE 4 END
    FROM history WHERE anogenital AND age_days < 6570
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-NEGLECT', 3
    FROM history WHERE neglect AND age_days < 6570
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'CG89-SELFHARM-CYP', 3
    FROM history WHERE self_harm AND age_days < 6570
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'TF-HAGUE', 2
    FROM history WHERE adult_concern AND age_days >= 5844
  UNION ALL
  SELECT attendance_id, site, arrival, age_days, person_key, 'FREQUENT', 1
    FROM history WHERE visits_365 >= 4 AND age_days < 6570
)
SELECT attendance_id, site, arrival, age_days, max(level) AS level,
       group_concat(rule, ' ') AS rules, person_key
FROM findings
GROUP BY attendance_id, site, arrival, age_days, person_key
ORDER BY max(level) DESC, age_days IS NULL, age_days, arrival, site, attendance_id;
SELECT count(*) AS worklist_items FROM worklist;
