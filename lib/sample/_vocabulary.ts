/**
 * The synthetic sample's private clinical vocabulary: real diagnoses with the many ways they are
 * written, their Bond-scale neighbours, the findings that make up a vignette, and the tests that
 * confirm or help.
 *
 * PRIVATE TO THE SAMPLE GENERATOR. The offline lexical baseline judge (lib/judge) must never
 * import this file or any other private (`_`) file of lib/sample, nor copy its lists: the
 * sample's grades are computed from these tables, so a judge that reads them would grade by
 * looking up the answer, and its agreement with the "physicians" would be a false story. On real
 * data a string matcher lands clearly below the physician ceiling; on this sample it must too.
 *
 * Medical content is written to be correct but stays simplified: each concept carries only what
 * the generator needs.
 *
 * @module
 */

/** Organ systems, used to keep "unrelated" distractors unrelated. */
export type OrganSystem =
  | "endocrine"
  | "infectious"
  | "haematology"
  | "rheumatology"
  | "cardiovascular"
  | "pulmonary"
  | "gastrointestinal"
  | "hepatobiliary"
  | "neurology"
  | "renal"
  | "obstetric";

/** How the illness unfolded; the interpretive summary's semantic qualifier. */
export type Tempo = "acute" | "subacute" | "chronic" | "episodic" | "progressive";

/** A diagnostic test and the other names it goes by. */
export interface TestConcept {
  /** The name a case's `test_plan` uses. */
  name: string;
  /** Abbreviations, synonyms and descriptions that mean the same test. */
  forms: readonly string[];
}

/** The ways a diagnosis can be written other than its canonical name. */
export interface SurfaceForms {
  /** Other accepted names (older names, more formal names). */
  synonyms?: readonly string[];
  /** Abbreviations and clinical shorthand. */
  abbreviations?: readonly string[];
  /** Eponyms (or the eponym when the canonical name is descriptive). */
  eponyms?: readonly string[];
  /** Descriptions that mean the diagnosis without naming it. */
  paraphrases?: readonly string[];
  /** Correct spellings that differ from the canonical one (British, ASCII, possessive). */
  variants?: readonly string[];
  /** Plausible misspellings seen in clinical text. */
  misspellings?: readonly string[];
}

/** A Bond score below 5 that an item may earn; halves mark truly borderline items. */
export type NeighbourScore = 4.5 | 4 | 3.5 | 3 | 2.5 | 2;

/** A real diagnosis with everything the generator needs to write and grade a case. */
export interface DiagnosisConcept {
  /** Stable key. */
  key: string;
  /** Canonical name, used as the case's `final_diagnosis`. */
  name: string;
  /** Organ system. */
  system: OrganSystem;
  /** Other surface forms of the exact diagnosis (all earn Bond 5). */
  forms: SurfaceForms;
  /** Very close but not exact (Bond 4). */
  veryClose: readonly string[];
  /** Closely related, would have helped (Bond 3). */
  closelyRelated: readonly string[];
  /** Related but unlikely to help (Bond 2). */
  related: readonly string[];
  /** Truly borderline items with a half score. */
  borderline?: readonly (readonly [string, NeighbourScore])[];
  /** Keys of other vocabulary diagnoses too close to serve as unrelated (Bond 0) items. */
  kin?: readonly string[];
  /** Typical age range at presentation. */
  age: readonly [number, number];
  /** Sex, when the diagnosis requires one. */
  sex?: "female" | "male";
  /** Tempo of the illness. */
  tempo: Tempo;
  /** Durations that fit the findings, when the tempo's defaults would not. */
  durations?: readonly string[];
  /** Chief complaint, as a noun phrase. */
  complaint: string;
  /** Findings of a typical case, as noun phrases. */
  findings: readonly string[];
  /** Pertinent negatives of a typical case, as noun phrases. */
  negatives: readonly string[];
  /** Key of the test that established the diagnosis. */
  test: string;
  /** Keys of tests that would have established it equally well. */
  equivalentTests?: readonly string[];
  /** Keys of tests that would have helped without establishing it. */
  helpfulTests: readonly string[];
  /** Keys of tests that do not help with this diagnosis. */
  unhelpfulTests: readonly string[];
}

/** Every test the vocabulary refers to, by key. */
export const TESTS: Readonly<Record<string, TestConcept>> = {
  plasma_metanephrines: {
    name: "Plasma free metanephrines",
    forms: [
      "plasma metanephrine and normetanephrine",
      "free plasma metanephrines",
      "plasma metanephs",
    ],
  },
  urine_metanephrines: {
    name: "24-hour urine fractionated metanephrines",
    forms: ["24-h urinary metanephrines and catecholamines", "24 hr urine metanephrines"],
  },
  ct_adrenal: {
    name: "Adrenal-protocol CT",
    forms: ["dedicated CT of the adrenal glands", "CT adrenals with washout"],
  },
  aldosterone_renin_ratio: {
    name: "Plasma aldosterone-to-renin ratio",
    forms: ["aldosterone/renin ratio", "ARR", "morning plasma aldosterone and renin activity"],
  },
  saline_suppression: {
    name: "Saline infusion test",
    forms: ["IV saline suppression test", "saline-loading test for aldosterone suppression"],
  },
  adrenal_vein_sampling: {
    name: "Adrenal vein sampling",
    forms: ["AVS", "adrenal venous sampling"],
  },
  cosyntropin: {
    name: "Cosyntropin stimulation test",
    forms: ["ACTH stimulation test", "short Synacthen test", "cosyntropin stim"],
  },
  am_cortisol_acth: {
    name: "Early-morning cortisol with plasma ACTH",
    forms: ["8 a.m. cortisol and ACTH", "AM cortisol paired with an ACTH level"],
  },
  adrenal_antibodies: {
    name: "21-hydroxylase antibodies",
    forms: ["anti-21-hydroxylase antibodies", "adrenal autoantibodies"],
  },
  blood_cultures: {
    name: "Blood cultures",
    forms: ["three sets of blood cultures", "BCx x3", "serial blood cultures"],
  },
  tee: {
    name: "Transesophageal echocardiography",
    forms: ["TEE", "TOE", "transoesophageal echo"],
  },
  tte: {
    name: "Transthoracic echocardiography",
    forms: ["TTE", "transthoracic echo", "surface echocardiogram"],
  },
  small_bowel_biopsy: {
    name: "Upper endoscopy with duodenal biopsies",
    forms: [
      "EGD with small-bowel biopsies and PAS stain",
      "duodenal biopsy with periodic acid-Schiff staining",
      "upper endoscopy and biopsy of the duodenum",
    ],
  },
  tropheryma_pcr: {
    name: "Tropheryma whipplei PCR",
    forms: ["T. whipplei PCR", "PCR for Tropheryma whipplei on saliva and stool"],
  },
  ct_abdomen_pelvis: {
    name: "CT of the abdomen and pelvis with contrast",
    forms: ["CT A/P with IV contrast", "contrast-enhanced abdominopelvic CT", "CT abd/pelvis"],
  },
  sputum_afb: {
    name: "Sputum AFB smear, culture and NAAT",
    forms: [
      "sputum for acid-fast bacilli x3",
      "sputum TB PCR (GeneXpert)",
      "three induced sputa for AFB",
    ],
  },
  bal_afb: {
    name: "Bronchoscopy with BAL for mycobacteria",
    forms: ["bronchoalveolar lavage for AFB smear and culture", "bronch with BAL for TB"],
  },
  igra: {
    name: "Interferon-gamma release assay",
    forms: ["IGRA", "QuantiFERON-TB Gold", "T-SPOT.TB"],
  },
  ct_chest: {
    name: "CT of the chest",
    forms: ["chest CT", "CT thorax", "CT chest with contrast"],
  },
  histo_antigen: {
    name: "Urine Histoplasma antigen",
    forms: [
      "Histoplasma urinary antigen",
      "urine histo Ag",
      "Histoplasma antigen (urine and serum)",
    ],
  },
  fungal_blood_cultures: {
    name: "Fungal blood cultures",
    forms: ["isolator blood cultures for fungi", "lysis-centrifugation blood cultures"],
  },
  bone_marrow_biopsy: {
    name: "Bone marrow aspiration and biopsy",
    forms: ["bone marrow biopsy", "BM aspirate and trephine", "marrow biopsy"],
  },
  lymph_node_biopsy: {
    name: "Excisional lymph node biopsy",
    forms: [
      "excision of an enlarged lymph node",
      "excisional biopsy of the cervical node",
      "LN excisional bx",
    ],
  },
  pet_ct: {
    name: "FDG PET-CT",
    forms: ["PET/CT", "positron emission tomography-CT", "PET scan"],
  },
  spep: {
    name: "Serum protein electrophoresis with immunofixation and free light chains",
    forms: [
      "SPEP/IFE with serum free light chains",
      "SPEP and FLC",
      "serum electrophoresis and light-chain assay",
    ],
  },
  skeletal_survey: {
    name: "Skeletal survey",
    forms: ["bone survey", "plain-film skeletal survey"],
  },
  peripheral_smear: {
    name: "Peripheral blood smear",
    forms: ["blood film", "smear review for schistocytes", "peripheral smear"],
  },
  ldh_haptoglobin: {
    name: "LDH and haptoglobin",
    forms: ["haemolysis labs (LDH, haptoglobin)", "lactate dehydrogenase and haptoglobin"],
  },
  adamts13: {
    name: "ADAMTS13 activity",
    forms: ["ADAMTS-13 activity and inhibitor", "ADAMTS13 level"],
  },
  ferritin: {
    name: "Serum ferritin",
    forms: ["ferritin level", "ferritin"],
  },
  soluble_il2r: {
    name: "Soluble interleukin-2 receptor",
    forms: ["sIL-2R", "soluble CD25"],
  },
  temporal_artery_biopsy: {
    name: "Temporal artery biopsy",
    forms: ["TAB", "temporal artery bx", "biopsy of the temporal artery"],
  },
  temporal_artery_us: {
    name: "Temporal artery ultrasound",
    forms: [
      "colour duplex ultrasound of the temporal arteries",
      "temporal artery duplex for a halo sign",
    ],
  },
  esr_crp: {
    name: "ESR and CRP",
    forms: ["sed rate and C-reactive protein", "inflammatory markers"],
  },
  anca: {
    name: "ANCA with PR3 and MPO antibodies",
    forms: ["ANCA serology", "anti-PR3/anti-MPO", "c-ANCA and p-ANCA"],
  },
  kidney_biopsy: {
    name: "Kidney biopsy",
    forms: ["renal biopsy", "percutaneous renal biopsy"],
  },
  urinalysis_microscopy: {
    name: "Urinalysis with microscopy",
    forms: ["urine sediment examination", "UA with micro", "microscopy for red-cell casts"],
  },
  anti_gbm_ab: {
    name: "Anti-GBM antibodies",
    forms: ["anti-glomerular basement membrane antibody titre", "anti-GBM serology"],
  },
  ebus_biopsy: {
    name: "EBUS-guided lymph node biopsy",
    forms: [
      "EBUS-TBNA",
      "endobronchial ultrasound-guided transbronchial needle aspiration",
      "bronchoscopy with EBUS sampling of the hilar nodes",
    ],
  },
  ace_level: {
    name: "Serum ACE level",
    forms: ["angiotensin-converting enzyme level", "ACE level"],
  },
  igg4_level: {
    name: "Serum IgG4",
    forms: ["IgG4 subclass level", "serum IgG subclasses"],
  },
  igg4_biopsy: {
    name: "Tissue biopsy with IgG4 immunostaining",
    forms: [
      "core biopsy with an IgG4/IgG plasma-cell ratio",
      "biopsy of the affected gland with IgG4 staining",
    ],
  },
  pyp_scan: {
    name: "Technetium-99m pyrophosphate scintigraphy",
    forms: ["PYP scan", "Tc-99m PYP", "bone-tracer cardiac scintigraphy"],
  },
  endomyocardial_biopsy: {
    name: "Endomyocardial biopsy",
    forms: ["EMB", "right-ventricular endomyocardial biopsy"],
  },
  cardiac_mri: {
    name: "Cardiac MRI",
    forms: ["CMR", "cardiac magnetic resonance with gadolinium"],
  },
  ceruloplasmin: {
    name: "Serum ceruloplasmin",
    forms: ["caeruloplasmin", "ceruloplasmin level"],
  },
  urine_copper: {
    name: "24-hour urine copper",
    forms: ["24-h urinary copper excretion", "urine copper collection"],
  },
  slit_lamp: {
    name: "Slit-lamp examination",
    forms: ["slit-lamp exam for Kayser-Fleischer rings", "ophthalmology slit-lamp review"],
  },
  csf_nmdar: {
    name: "CSF anti-NMDA receptor antibodies",
    forms: ["NMDAR antibodies in CSF", "CSF autoimmune encephalitis panel", "anti-NMDAR IgG (CSF)"],
  },
  pelvic_imaging: {
    name: "Pelvic MRI for ovarian teratoma",
    forms: ["transvaginal ultrasound for a teratoma", "pelvic imaging for teratoma"],
  },
  eeg: {
    name: "Electroencephalography",
    forms: ["EEG", "continuous EEG"],
  },
  mri_brain: {
    name: "MRI of the brain",
    forms: ["brain MRI", "MRI head with gadolinium"],
  },
  achr_ab: {
    name: "Acetylcholine receptor antibodies",
    forms: ["AChR binding antibodies", "anti-AChR antibodies"],
  },
  single_fiber_emg: {
    name: "Single-fiber EMG",
    forms: ["SFEMG", "single-fibre electromyography"],
  },
  lumbar_puncture: {
    name: "Lumbar puncture with CSF analysis",
    forms: ["LP", "spinal tap", "CSF protein and cell count"],
  },
  ncs_emg: {
    name: "Nerve conduction studies and EMG",
    forms: ["NCS/EMG", "electrodiagnostic studies"],
  },
  mri_spine: {
    name: "MRI of the spine with gadolinium",
    forms: ["MRI spine with contrast", "spinal MRI"],
  },
  bal_pcp: {
    name: "Bronchoalveolar lavage with Pneumocystis testing",
    forms: ["BAL for PJP PCR and DFA", "bronchoscopy with lavage for Pneumocystis"],
  },
  induced_sputum_pcp: {
    name: "Induced sputum for Pneumocystis",
    forms: ["induced sputum PJP DFA", "induced sputum PCR for Pneumocystis"],
  },
  beta_d_glucan: {
    name: "Serum beta-D-glucan",
    forms: ["1,3-beta-D-glucan", "BDG"],
  },
  cd4_count: {
    name: "CD4 count",
    forms: ["CD4 lymphocyte count", "CD4+ T-cell count"],
  },
  chest_xray: {
    name: "Chest radiograph",
    forms: ["CXR", "chest X-ray", "PA and lateral chest films"],
  },
  procalcitonin: {
    name: "Procalcitonin",
    forms: ["PCT level"],
  },
  serum_ketones: {
    name: "Serum beta-hydroxybutyrate",
    forms: ["beta-hydroxybutyrate", "serum ketones", "BHB"],
  },
  vbg: {
    name: "Venous blood gas",
    forms: ["VBG", "venous pH and bicarbonate"],
  },
  bmp: {
    name: "Basic metabolic panel",
    forms: ["BMP", "chem-7", "electrolytes and anion gap"],
  },
  ecg: {
    name: "12-lead electrocardiogram",
    forms: ["ECG", "EKG", "12-lead EKG"],
  },
  coronary_angiography: {
    name: "Coronary angiography",
    forms: ["cardiac catheterization", "coronary angiogram", "left heart cath"],
  },
  troponin: {
    name: "High-sensitivity troponin",
    forms: ["hs-troponin", "serial troponins", "cardiac enzymes"],
  },
  ctpa: {
    name: "CT pulmonary angiography",
    forms: ["CTPA", "CT-PE protocol", "CT angiogram of the chest for PE"],
  },
  vq_scan: {
    name: "Ventilation-perfusion scan",
    forms: ["V/Q scan", "VQ scintigraphy"],
  },
  d_dimer: {
    name: "D-dimer",
    forms: ["D-dimer level", "DDimer"],
  },
  leg_duplex: {
    name: "Lower-extremity venous duplex",
    forms: ["leg Dopplers", "bilateral lower-limb compression ultrasound"],
  },
  cta_aorta: {
    name: "CT angiography of the aorta",
    forms: ["CTA chest/abdomen/pelvis", "dissection-protocol CT", "CT aortogram"],
  },
  ct_head: {
    name: "Non-contrast CT of the head",
    forms: ["CT head without contrast", "non-con head CT", "NCCT head"],
  },
  cta_head_neck: {
    name: "CT angiography of the head and neck",
    forms: ["CTA head and neck", "CT angiogram of the cerebral vessels"],
  },
  urine_culture: {
    name: "Urinalysis and urine culture",
    forms: ["UA with reflex culture", "urine dipstick and culture", "U/A and UCx"],
  },
  renal_us: {
    name: "Renal ultrasound",
    forms: ["kidney ultrasound", "ultrasound of the kidneys for hydronephrosis"],
  },
  abdominal_xray: {
    name: "Upright abdominal radiograph",
    forms: ["abdominal X-ray series", "KUB and upright films"],
  },
  lactate: {
    name: "Serum lactate",
    forms: ["lactate level", "lactic acid"],
  },
  mri_dwi: {
    name: "MRI of the brain with diffusion-weighted imaging",
    forms: ["MRI brain with DWI", "stroke-protocol MRI", "diffusion MRI"],
  },
  ruq_us: {
    name: "Right-upper-quadrant ultrasound",
    forms: ["RUQ US", "gallbladder ultrasound", "abdominal ultrasound of the RUQ"],
  },
  hida: {
    name: "Cholescintigraphy (HIDA scan)",
    forms: ["HIDA", "hepatobiliary iminodiacetic acid scan"],
  },
  lfts: {
    name: "Liver function tests",
    forms: ["LFTs", "hepatic function panel"],
  },
  lipase: {
    name: "Serum lipase",
    forms: ["lipase level", "lipase"],
  },
  amylase: {
    name: "Serum amylase",
    forms: ["amylase level"],
  },
  triglycerides: {
    name: "Serum triglycerides",
    forms: ["triglyceride level", "fasting TGs"],
  },
  transvaginal_us: {
    name: "Transvaginal ultrasound",
    forms: ["TVUS", "endovaginal ultrasound", "pelvic ultrasound (transvaginal)"],
  },
  hcg: {
    name: "Quantitative serum hCG",
    forms: ["serum beta-hCG", "quant hCG"],
  },
  cbc: {
    name: "Complete blood count",
    forms: ["CBC", "full blood count", "FBC"],
  },
  bnp: {
    name: "B-type natriuretic peptide",
    forms: ["BNP", "NT-proBNP", "natriuretic peptide level"],
  },
  egd: {
    name: "Upper endoscopy (EGD)",
    forms: ["esophagogastroduodenoscopy", "OGD", "upper endoscopy"],
  },
  coags: {
    name: "Coagulation studies",
    forms: ["PT/INR and aPTT", "coags"],
  },
  appendix_us: {
    name: "Ultrasound of the appendix",
    forms: ["graded-compression ultrasound of the right lower quadrant", "RLQ ultrasound"],
  },
  // Low-yield tests: sensible in general practice, no help with the diagnoses they are listed
  // against below.
  hba1c: { name: "Hemoglobin A1c", forms: ["HbA1c", "A1c"] },
  lipid_panel: { name: "Fasting lipid panel", forms: ["lipid profile", "cholesterol panel"] },
  pft: { name: "Pulmonary function tests", forms: ["PFTs", "spirometry"] },
  vitamin_d: { name: "25-hydroxyvitamin D", forms: ["vitamin D level"] },
  stool_culture: { name: "Stool culture", forms: ["stool studies"] },
  tsh: { name: "Thyroid-stimulating hormone", forms: ["TSH", "thyroid function tests"] },
  psa: { name: "Prostate-specific antigen", forms: ["PSA"] },
  dexa: { name: "Bone densitometry", forms: ["DEXA scan", "DXA"] },
};

/**
 * Diagnoses of the kind discussed at clinicopathological conferences: rare or complex, with a
 * decisive test. Used for `cpc_bond`, `cpc_management`, Healer and Landmark cases.
 */
export const CPC_DIAGNOSES: readonly DiagnosisConcept[] = [
  {
    key: "pheochromocytoma",
    name: "Pheochromocytoma",
    system: "endocrine",
    forms: {
      abbreviations: ["pheo"],
      variants: ["phaeochromocytoma"],
      paraphrases: [
        "catecholamine-secreting adrenal tumour",
        "catecholamine-producing tumor of the adrenal medulla",
      ],
      misspellings: ["pheochromocytma", "pheocromocytoma"],
    },
    veryClose: ["paraganglioma", "extra-adrenal paraganglioma"],
    closelyRelated: [
      "multiple endocrine neoplasia type 2",
      "adrenal mass",
      "von Hippel-Lindau disease",
    ],
    related: ["hyperthyroidism", "panic disorder", "carcinoid syndrome"],
    age: [25, 65],
    tempo: "episodic",
    complaint: "episodic headache, palpitations and sweating",
    findings: [
      "paroxysmal hypertension to 220/120 mm Hg",
      "spells of pounding headache, palpitations and diaphoresis",
      "new-onset hyperglycemia",
      "a 4-cm right adrenal mass on imaging",
    ],
    negatives: ["normal thyroid function", "no flushing or diarrhea"],
    test: "plasma_metanephrines",
    equivalentTests: ["urine_metanephrines"],
    helpfulTests: ["ct_adrenal"],
    unhelpfulTests: ["psa", "dexa", "lipid_panel"],
  },
  {
    key: "primary_aldosteronism",
    name: "Primary aldosteronism",
    system: "endocrine",
    forms: {
      synonyms: ["primary hyperaldosteronism"],
      eponyms: ["Conn syndrome", "Conn's syndrome"],
      paraphrases: [
        "renin-independent aldosterone excess",
        "autonomous adrenal aldosterone overproduction",
      ],
      misspellings: ["primary aldosteronsim", "primary hyperaldosteroism"],
    },
    veryClose: ["aldosterone-producing adenoma", "mineralocorticoid excess syndrome"],
    closelyRelated: ["adrenal adenoma", "secondary hypertension", "hypokalemic hypertension"],
    related: ["Cushing syndrome", "renal artery stenosis", "Liddle syndrome"],
    borderline: [["hyperaldosteronism, type not specified", 4.5]],
    age: [35, 70],
    tempo: "chronic",
    complaint: "muscle weakness and hard-to-control blood pressure",
    findings: [
      "hypertension despite three antihypertensive drugs",
      "serum potassium of 2.9 mmol/L",
      "metabolic alkalosis",
      "a 1.5-cm left adrenal nodule",
    ],
    negatives: ["no cushingoid features", "no diuretic or licorice use"],
    test: "aldosterone_renin_ratio",
    helpfulTests: ["saline_suppression", "ct_adrenal", "adrenal_vein_sampling"],
    unhelpfulTests: ["psa", "pft", "dexa"],
  },
  {
    key: "primary_adrenal_insufficiency",
    name: "Primary adrenal insufficiency",
    system: "endocrine",
    forms: {
      eponyms: ["Addison disease", "Addison's disease"],
      abbreviations: ["PAI"],
      paraphrases: ["failure of the adrenal cortex", "adrenocortical insufficiency"],
      misspellings: ["Addisons disease", "primary adrenal insuficiency"],
    },
    veryClose: ["adrenal crisis", "autoimmune adrenalitis"],
    closelyRelated: ["secondary adrenal insufficiency", "autoimmune polyglandular syndrome type 2"],
    related: ["hypothyroidism", "anorexia nervosa", "hemochromatosis"],
    borderline: [["adrenal insufficiency, level not specified", 4.5]],
    age: [20, 60],
    tempo: "subacute",
    complaint: "fatigue, weight loss and lightheadedness",
    findings: [
      "hyperpigmentation of the palmar creases and buccal mucosa",
      "serum sodium of 126 mmol/L with potassium of 5.9 mmol/L",
      "orthostatic hypotension",
      "salt craving",
    ],
    negatives: ["no glucocorticoid use", "normal thyroid function"],
    test: "cosyntropin",
    equivalentTests: ["am_cortisol_acth"],
    helpfulTests: ["adrenal_antibodies", "ct_adrenal"],
    unhelpfulTests: ["psa", "pft", "lipid_panel"],
  },
  {
    key: "infective_endocarditis",
    name: "Infective endocarditis",
    system: "infectious",
    forms: {
      abbreviations: ["IE"],
      synonyms: ["bacterial endocarditis"],
      variants: ["infectious endocarditis"],
      paraphrases: ["infection of a heart valve", "valvular vegetation with bacteremia"],
      misspellings: ["infective endocardits", "infective endocarditus"],
    },
    veryClose: ["septic embolism from a valvular source"],
    closelyRelated: [
      "Staphylococcus aureus bacteremia",
      "nonbacterial thrombotic endocarditis",
      "septic pulmonary emboli",
    ],
    related: ["acute rheumatic fever", "systemic lupus erythematosus", "systemic vasculitis"],
    borderline: [["endocarditis, infective or not", 4.5]],
    age: [40, 80],
    tempo: "subacute",
    complaint: "fevers, fatigue and weight loss",
    findings: [
      "a new holosystolic murmur at the apex",
      "splinter hemorrhages",
      "painless macules on the palms",
      "splenic infarcts on CT",
    ],
    negatives: ["no injection drug use", "no prosthetic valve"],
    test: "tee",
    helpfulTests: ["blood_cultures", "tte"],
    unhelpfulTests: ["pft", "dexa", "lipid_panel"],
  },
  {
    key: "whipple_disease",
    name: "Whipple disease",
    system: "infectious",
    forms: {
      synonyms: ["Tropheryma whipplei infection", "intestinal lipodystrophy"],
      variants: ["Whipple's disease"],
      paraphrases: ["chronic infection with Tropheryma whipplei"],
      misspellings: ["Whipples disease", "Wipple disease"],
    },
    veryClose: ["Tropheryma whipplei endocarditis"],
    closelyRelated: ["malabsorption syndrome", "infection-related enteropathy"],
    related: ["celiac disease", "Crohn disease", "intestinal lymphoma"],
    kin: ["hodgkin_lymphoma"],
    age: [40, 70],
    sex: "male",
    tempo: "chronic",
    complaint: "chronic diarrhea, weight loss and joint pain",
    findings: [
      "migratory arthralgias for several years",
      "weight loss of 12 kg",
      "steatorrhea",
      "low-grade fevers",
      "generalized lymphadenopathy",
    ],
    negatives: ["negative tissue transglutaminase antibodies", "no recent travel"],
    test: "small_bowel_biopsy",
    equivalentTests: ["tropheryma_pcr"],
    helpfulTests: ["ct_abdomen_pelvis"],
    unhelpfulTests: ["psa", "lipid_panel", "dexa"],
  },
  {
    key: "pulmonary_tuberculosis",
    name: "Pulmonary tuberculosis",
    system: "infectious",
    forms: {
      abbreviations: ["pulmonary TB", "TB"],
      synonyms: ["Mycobacterium tuberculosis infection of the lung"],
      paraphrases: ["reactivation tuberculosis with cavitation"],
      variants: ["tuberculosis, pulmonary"],
      misspellings: ["pulmonary tuberculsis", "pulmonary tuberclosis"],
    },
    veryClose: ["miliary tuberculosis", "tuberculous pleuritis"],
    closelyRelated: ["nontuberculous mycobacterial infection", "latent tuberculosis infection"],
    related: ["lung abscess", "granulomatous lung disease", "lung cancer"],
    kin: ["sarcoidosis", "disseminated_histoplasmosis"],
    age: [20, 75],
    tempo: "subacute",
    complaint: "cough, night sweats and weight loss",
    findings: [
      "three months of productive cough with occasional hemoptysis",
      "drenching night sweats",
      "a right-upper-lobe cavitary lesion",
      "emigration from a high-prevalence country",
    ],
    negatives: ["a negative HIV test", "no occupational dust exposure"],
    test: "sputum_afb",
    equivalentTests: ["bal_afb"],
    helpfulTests: ["igra", "ct_chest"],
    unhelpfulTests: ["lipid_panel", "dexa", "psa"],
  },
  {
    key: "disseminated_histoplasmosis",
    name: "Disseminated histoplasmosis",
    system: "infectious",
    forms: {
      synonyms: ["progressive disseminated histoplasmosis"],
      abbreviations: ["disseminated histo"],
      paraphrases: ["disseminated Histoplasma capsulatum infection"],
      misspellings: ["disseminated histoplasmossis", "disseminated histoplasmsis"],
    },
    veryClose: ["pulmonary histoplasmosis"],
    closelyRelated: ["disseminated endemic mycosis", "disseminated fungal infection"],
    related: ["sarcoidosis", "lymphoma", "miliary tuberculosis"],
    borderline: [["histoplasmosis, extent not specified", 4.5]],
    kin: ["pulmonary_tuberculosis", "sarcoidosis", "hodgkin_lymphoma", "pneumocystis_pneumonia"],
    age: [25, 60],
    tempo: "subacute",
    complaint: "fevers, weight loss and fatigue",
    findings: [
      "HIV infection with a CD4 count of 40 cells per cubic millimetre",
      "hepatosplenomegaly",
      "pancytopenia",
      "painful oral ulcers",
      "residence in the Ohio River valley",
    ],
    negatives: ["negative bacterial blood cultures", "no focal pulmonary consolidation"],
    test: "histo_antigen",
    helpfulTests: ["bone_marrow_biopsy", "fungal_blood_cultures"],
    unhelpfulTests: ["lipid_panel", "dexa", "psa"],
  },
  {
    key: "hodgkin_lymphoma",
    name: "Classic Hodgkin lymphoma",
    system: "haematology",
    forms: {
      synonyms: ["Hodgkin disease"],
      variants: ["classical Hodgkin's lymphoma"],
      abbreviations: ["cHL"],
      paraphrases: ["lymphoma with Reed-Sternberg cells"],
      misspellings: ["classic Hodgkins lymphoma", "classic Hodgekin lymphoma"],
    },
    veryClose: ["nodular lymphocyte-predominant Hodgkin lymphoma", "lymphoma, type not specified"],
    closelyRelated: ["primary mediastinal B-cell lymphoma", "non-Hodgkin lymphoma"],
    related: ["sarcoidosis", "tuberculous lymphadenitis", "infectious mononucleosis"],
    kin: ["pulmonary_tuberculosis"],
    age: [18, 40],
    tempo: "subacute",
    complaint: "neck swelling, fevers and night sweats",
    findings: [
      "painless cervical and mediastinal lymphadenopathy",
      "drenching night sweats",
      "generalized pruritus",
      "pain in the enlarged nodes after drinking alcohol",
    ],
    negatives: ["a normal peripheral blood smear", "no hepatosplenomegaly"],
    test: "lymph_node_biopsy",
    helpfulTests: ["pet_ct", "ct_chest"],
    unhelpfulTests: ["lipid_panel", "dexa", "hba1c"],
  },
  {
    key: "multiple_myeloma",
    name: "Multiple myeloma",
    system: "haematology",
    forms: {
      abbreviations: ["MM"],
      synonyms: ["plasma cell myeloma"],
      eponyms: ["Kahler disease"],
      paraphrases: ["malignant clonal plasma-cell proliferation with end-organ damage"],
      misspellings: ["multiple myleoma", "mutiple myeloma"],
    },
    veryClose: ["smoldering myeloma", "solitary plasmacytoma"],
    closelyRelated: [
      "light-chain (AL) amyloidosis",
      "monoclonal gammopathy",
      "Waldenstrom macroglobulinemia",
    ],
    related: [
      "metastatic carcinoma to bone",
      "primary hyperparathyroidism",
      "osteoporotic fracture",
    ],
    age: [55, 85],
    tempo: "subacute",
    complaint: "back pain and fatigue",
    findings: [
      "anemia with rouleaux on the smear",
      "serum calcium of 12.1 mg/dL",
      "creatinine of 2.4 mg/dL",
      "lytic lesions in the thoracic spine",
      "a total protein well above the albumin",
    ],
    negatives: ["a suppressed parathyroid hormone level", "no known primary cancer"],
    test: "bone_marrow_biopsy",
    helpfulTests: ["spep", "skeletal_survey"],
    unhelpfulTests: ["lipid_panel", "hba1c", "pft"],
  },
  {
    key: "ttp",
    name: "Thrombotic thrombocytopenic purpura",
    system: "haematology",
    forms: {
      abbreviations: ["TTP", "iTTP"],
      eponyms: ["Moschcowitz syndrome"],
      synonyms: ["acquired ADAMTS13 deficiency"],
      paraphrases: ["thrombotic microangiopathy from ADAMTS13 deficiency"],
      variants: ["thrombotic thrombocytopaenic purpura"],
      misspellings: ["thrombotic thrombocytopenic purpra", "thrombotic thrombocytopenic pupura"],
    },
    veryClose: ["thrombotic microangiopathy", "hemolytic uremic syndrome"],
    closelyRelated: ["microangiopathic hemolytic anemia", "disseminated intravascular coagulation"],
    related: ["immune thrombocytopenia", "Evans syndrome", "HELLP syndrome"],
    age: [25, 60],
    tempo: "acute",
    durations: ["three days", "five days"],
    complaint: "confusion, bruising and fatigue",
    findings: [
      "a platelet count of 12,000 per cubic millimetre",
      "schistocytes on the blood smear",
      "an LDH of 1450 U/L with undetectable haptoglobin",
      "fluctuating confusion",
    ],
    negatives: ["normal prothrombin time and fibrinogen", "a negative direct antiglobulin test"],
    test: "adamts13",
    helpfulTests: ["peripheral_smear", "ldh_haptoglobin"],
    unhelpfulTests: ["pft", "dexa", "hba1c"],
  },
  {
    key: "hlh",
    name: "Hemophagocytic lymphohistiocytosis",
    system: "haematology",
    forms: {
      abbreviations: ["HLH"],
      synonyms: ["hemophagocytic syndrome"],
      variants: ["haemophagocytic lymphohistiocytosis"],
      paraphrases: ["uncontrolled histiocyte and T-cell activation with hemophagocytosis"],
      misspellings: ["hemophagocytic lymphohistocytosis", "hemophagocytic lymphohistiocytossis"],
    },
    veryClose: ["macrophage activation syndrome"],
    closelyRelated: [
      "cytokine storm syndrome",
      "Epstein-Barr virus lymphoproliferative disease",
      "adult-onset Still disease",
    ],
    related: ["sepsis", "acute leukemia", "disseminated intravascular coagulation"],
    kin: ["ttp"],
    age: [20, 70],
    tempo: "acute",
    durations: ["ten days", "two weeks"],
    complaint: "persistent fevers and confusion",
    findings: [
      "a ferritin of 38,000 ng/mL",
      "splenomegaly",
      "anemia and thrombocytopenia",
      "triglycerides of 420 mg/dL with a low fibrinogen",
    ],
    negatives: ["negative blood cultures", "no recent travel"],
    test: "bone_marrow_biopsy",
    helpfulTests: ["ferritin", "soluble_il2r"],
    unhelpfulTests: ["pft", "dexa", "psa"],
  },
  {
    key: "giant_cell_arteritis",
    name: "Giant cell arteritis",
    system: "rheumatology",
    forms: {
      abbreviations: ["GCA"],
      eponyms: ["Horton disease"],
      synonyms: ["temporal arteritis", "cranial arteritis"],
      paraphrases: ["granulomatous vasculitis of the temporal arteries"],
      variants: ["giant-cell arteritis"],
      misspellings: ["giant cell arteritus", "giant cell arterits"],
    },
    veryClose: ["large-vessel vasculitis", "arteritic anterior ischemic optic neuropathy"],
    closelyRelated: ["polymyalgia rheumatica", "Takayasu arteritis"],
    related: ["migraine", "trigeminal neuralgia", "herpes zoster"],
    borderline: [["vasculitis, type not specified", 3.5]],
    age: [60, 88],
    tempo: "subacute",
    complaint: "a new headache and jaw pain when chewing",
    findings: [
      "a new temporal headache",
      "jaw claudication",
      "tender, nodular temporal arteries",
      "an ESR of 98 mm/h",
      "an episode of transient monocular vision loss",
    ],
    negatives: ["no focal neurologic deficit", "a normal head CT"],
    test: "temporal_artery_biopsy",
    equivalentTests: ["temporal_artery_us"],
    helpfulTests: ["esr_crp", "pet_ct"],
    unhelpfulTests: ["pft", "psa", "hba1c"],
  },
  {
    key: "gpa",
    name: "Granulomatosis with polyangiitis",
    system: "rheumatology",
    forms: {
      abbreviations: ["GPA"],
      eponyms: ["Wegener granulomatosis", "Wegener's granulomatosis"],
      paraphrases: [
        "PR3-ANCA small-vessel vasculitis with necrotizing granulomas",
        "necrotizing granulomatous vasculitis of the airways and kidneys",
      ],
      misspellings: ["granulomatosis with polyangitis", "granulomatosis with poliangiitis"],
    },
    veryClose: [
      "ANCA-associated vasculitis",
      "microscopic polyangiitis",
      "eosinophilic granulomatosis with polyangiitis",
    ],
    closelyRelated: ["pulmonary-renal syndrome", "rapidly progressive glomerulonephritis"],
    related: ["sarcoidosis", "chronic sinusitis", "lung cancer"],
    kin: ["anti_gbm_disease", "pulmonary_tuberculosis"],
    age: [30, 70],
    tempo: "subacute",
    complaint: "sinus congestion, bloody nasal discharge and cough",
    findings: [
      "chronic crusting rhinosinusitis with epistaxis",
      "multiple cavitating lung nodules",
      "hematuria with red-cell casts",
      "a creatinine rising from 1.0 to 2.8 mg/dL over three weeks",
    ],
    negatives: ["no asthma or eosinophilia", "negative anti-GBM antibodies"],
    test: "anca",
    equivalentTests: ["kidney_biopsy"],
    helpfulTests: ["ct_chest", "urinalysis_microscopy"],
    unhelpfulTests: ["dexa", "psa", "lipid_panel"],
  },
  {
    key: "sarcoidosis",
    name: "Sarcoidosis",
    system: "rheumatology",
    forms: {
      abbreviations: ["sarcoid"],
      eponyms: ["Besnier-Boeck-Schaumann disease"],
      paraphrases: [
        "noncaseating granulomatous disease of the lungs and lymph nodes",
        "multisystem noncaseating granulomatosis",
      ],
      misspellings: ["sarcoidois", "sarcodosis"],
    },
    veryClose: ["Lofgren syndrome", "Heerfordt syndrome"],
    closelyRelated: [
      "granulomatous lung disease",
      "hypersensitivity pneumonitis",
      "chronic beryllium disease",
    ],
    related: ["pulmonary tuberculosis", "lymphoma", "histoplasmosis"],
    kin: ["pulmonary_tuberculosis", "disseminated_histoplasmosis", "hodgkin_lymphoma"],
    age: [25, 55],
    tempo: "subacute",
    complaint: "a dry cough and shortness of breath",
    findings: [
      "bilateral hilar lymphadenopathy",
      "tender red nodules on both shins",
      "hypercalcemia",
      "anterior uveitis",
    ],
    negatives: ["a negative interferon-gamma release assay", "no weight loss or night sweats"],
    test: "ebus_biopsy",
    helpfulTests: ["ace_level", "ct_chest"],
    unhelpfulTests: ["psa", "lipid_panel", "hba1c"],
  },
  {
    key: "igg4_related_disease",
    name: "IgG4-related disease",
    system: "rheumatology",
    forms: {
      abbreviations: ["IgG4-RD"],
      synonyms: ["IgG4-related sclerosing disease"],
      paraphrases: ["fibroinflammatory disease with IgG4-positive plasma cells"],
      misspellings: ["IgG4 related disese", "IGG-4 related disease"],
    },
    veryClose: ["type 1 autoimmune pancreatitis", "Mikulicz disease"],
    closelyRelated: ["retroperitoneal fibrosis", "sclerosing cholangitis"],
    related: ["pancreatic adenocarcinoma", "Sjogren syndrome", "lymphoma"],
    age: [45, 75],
    sex: "male",
    tempo: "subacute",
    complaint: "painless jaundice and swollen glands under the jaw",
    findings: [
      "a diffusely enlarged, sausage-shaped pancreas",
      "bilateral submandibular gland swelling",
      "obstructive jaundice",
      "an elevated total IgG",
    ],
    negatives: ["a normal CA 19-9", "no discrete pancreatic mass"],
    test: "igg4_biopsy",
    helpfulTests: ["igg4_level", "pet_ct"],
    unhelpfulTests: ["pft", "dexa", "hba1c"],
  },
  {
    key: "attr_cardiac_amyloidosis",
    name: "Transthyretin cardiac amyloidosis",
    system: "cardiovascular",
    forms: {
      abbreviations: ["ATTR-CM", "ATTR cardiomyopathy"],
      synonyms: ["wild-type transthyretin amyloidosis", "senile systemic amyloidosis"],
      paraphrases: ["transthyretin amyloid deposition in the myocardium"],
      misspellings: ["transthyretin cardiac amylodosis", "transthyretin cardiac amyloidossis"],
    },
    veryClose: ["AL amyloidosis with cardiac involvement"],
    closelyRelated: ["restrictive cardiomyopathy", "infiltrative cardiomyopathy"],
    related: ["hypertrophic cardiomyopathy", "hypertensive heart disease", "cardiac sarcoidosis"],
    borderline: [["cardiac amyloidosis, type not specified", 4.5]],
    kin: ["multiple_myeloma"],
    age: [65, 90],
    sex: "male",
    tempo: "progressive",
    complaint: "worsening exertional dyspnea and leg swelling",
    findings: [
      "bilateral carpal tunnel syndrome years earlier",
      "low-voltage QRS complexes despite a thick left ventricle",
      "apical sparing of longitudinal strain on echocardiography",
      "lumbar spinal stenosis",
    ],
    negatives: ["no monoclonal protein on immunofixation", "a normal free light-chain ratio"],
    test: "pyp_scan",
    equivalentTests: ["endomyocardial_biopsy"],
    helpfulTests: ["cardiac_mri", "spep"],
    unhelpfulTests: ["pft", "hba1c", "vitamin_d"],
  },
  {
    key: "wilson_disease",
    name: "Wilson disease",
    system: "hepatobiliary",
    forms: {
      synonyms: ["hepatolenticular degeneration"],
      variants: ["Wilson's disease"],
      paraphrases: ["ATP7B-related copper overload", "inherited copper accumulation disorder"],
      misspellings: ["Wilsons disease", "Willson disease"],
    },
    veryClose: ["copper overload disorder"],
    closelyRelated: ["acute liver failure", "Coombs-negative hemolytic anemia"],
    related: ["autoimmune hepatitis", "hemochromatosis", "Menkes disease"],
    age: [12, 35],
    tempo: "subacute",
    complaint: "jaundice and a new tremor",
    findings: [
      "Kayser-Fleischer rings",
      "Coombs-negative hemolytic anemia",
      "an alkaline phosphatase disproportionately low for the bilirubin",
      "a new tremor and slurred speech",
    ],
    negatives: ["negative viral hepatitis serologies", "no acetaminophen ingestion"],
    test: "ceruloplasmin",
    equivalentTests: ["urine_copper"],
    helpfulTests: ["slit_lamp", "lfts"],
    unhelpfulTests: ["pft", "lipid_panel", "vitamin_d"],
  },
  {
    key: "anti_nmdar_encephalitis",
    name: "Anti-NMDA receptor encephalitis",
    system: "neurology",
    forms: {
      abbreviations: ["anti-NMDAR encephalitis", "NMDAR encephalitis"],
      synonyms: ["autoimmune NMDA receptor encephalitis"],
      paraphrases: ["antibody-mediated encephalitis against the NMDA receptor"],
      misspellings: ["anti-NMDA receptor encephalitus", "anti-NDMA receptor encephalitis"],
    },
    veryClose: ["autoimmune encephalitis", "paraneoplastic limbic encephalitis"],
    closelyRelated: ["ovarian teratoma", "herpes simplex encephalitis"],
    related: ["acute psychosis", "neuroleptic malignant syndrome", "catatonia"],
    age: [16, 35],
    sex: "female",
    tempo: "acute",
    durations: ["ten days", "two weeks", "three weeks"],
    complaint: "new psychiatric symptoms followed by seizures",
    findings: [
      "acute psychosis in a previously well young woman",
      "orofacial dyskinesias",
      "focal seizures",
      "autonomic instability",
      "a lymphocytic CSF pleocytosis",
    ],
    negatives: ["a negative CSF HSV PCR", "a normal toxicology screen"],
    test: "csf_nmdar",
    helpfulTests: ["pelvic_imaging", "eeg", "mri_brain"],
    unhelpfulTests: ["pft", "dexa", "lipid_panel"],
  },
  {
    key: "myasthenia_gravis",
    name: "Myasthenia gravis",
    system: "neurology",
    forms: {
      abbreviations: ["MG"],
      synonyms: ["autoimmune myasthenia"],
      paraphrases: [
        "autoimmune disorder of the neuromuscular junction",
        "antibody-mediated failure of neuromuscular transmission",
      ],
      misspellings: ["mysthenia gravis", "myasthemia gravis"],
    },
    veryClose: ["ocular myasthenia", "myasthenic crisis"],
    closelyRelated: ["Lambert-Eaton myasthenic syndrome", "thymoma"],
    related: ["botulism", "multiple sclerosis", "oculopharyngeal muscular dystrophy"],
    kin: ["guillain_barre"],
    age: [20, 75],
    tempo: "subacute",
    complaint: "double vision and drooping eyelids",
    findings: [
      "fatigable ptosis",
      "diplopia that worsens through the day",
      "dysphagia for solids",
      "proximal weakness that worsens with repetition",
    ],
    negatives: ["normal pupils", "preserved reflexes"],
    test: "achr_ab",
    equivalentTests: ["single_fiber_emg"],
    helpfulTests: ["ct_chest"],
    unhelpfulTests: ["dexa", "lipid_panel", "psa"],
  },
  {
    key: "guillain_barre",
    name: "Guillain–Barré syndrome",
    system: "neurology",
    forms: {
      abbreviations: ["GBS", "AIDP"],
      synonyms: ["acute inflammatory demyelinating polyradiculoneuropathy"],
      variants: ["Guillain-Barre syndrome"],
      paraphrases: ["post-infectious ascending demyelinating polyneuropathy"],
      misspellings: ["Guillan-Barre syndrome", "Guillian-Barre syndrome"],
    },
    veryClose: ["Miller Fisher syndrome", "acute motor axonal neuropathy"],
    closelyRelated: [
      "chronic inflammatory demyelinating polyneuropathy",
      "acute flaccid paralysis",
    ],
    related: ["transverse myelitis", "hypokalemic periodic paralysis", "tick paralysis"],
    kin: ["myasthenia_gravis"],
    age: [20, 75],
    tempo: "acute",
    durations: ["five days", "a week"],
    complaint: "ascending weakness and tingling",
    findings: [
      "symmetric leg weakness ascending over five days",
      "areflexia",
      "distal paresthesias",
      "a diarrheal illness two weeks earlier",
    ],
    negatives: ["no sensory level", "a normal MRI of the spine"],
    test: "lumbar_puncture",
    equivalentTests: ["ncs_emg"],
    helpfulTests: ["mri_spine"],
    unhelpfulTests: ["dexa", "lipid_panel", "psa"],
  },
  {
    key: "anti_gbm_disease",
    name: "Anti-glomerular basement membrane disease",
    system: "renal",
    forms: {
      abbreviations: ["anti-GBM disease"],
      eponyms: ["Goodpasture syndrome", "Goodpasture's disease"],
      paraphrases: [
        "autoantibodies against type IV collagen in glomerular and alveolar basement membranes",
      ],
      misspellings: ["Goodpastures syndrome", "Good pasture syndrome"],
    },
    veryClose: ["crescentic glomerulonephritis"],
    closelyRelated: [
      "pulmonary-renal syndrome",
      "rapidly progressive glomerulonephritis",
      "diffuse alveolar hemorrhage",
    ],
    related: ["IgA nephropathy", "lupus nephritis", "community-acquired pneumonia"],
    kin: ["gpa"],
    age: [20, 70],
    tempo: "acute",
    durations: ["one week", "ten days"],
    complaint: "coughing up blood and passing little urine",
    findings: [
      "hemoptysis",
      "diffuse bilateral alveolar infiltrates",
      "a creatinine of 5.1 mg/dL that rose over a week",
      "dysmorphic red cells and red-cell casts in the urine",
    ],
    negatives: ["negative ANCA", "normal complement levels"],
    test: "anti_gbm_ab",
    equivalentTests: ["kidney_biopsy"],
    helpfulTests: ["anca", "urinalysis_microscopy"],
    unhelpfulTests: ["dexa", "psa", "hba1c"],
  },
  {
    key: "pneumocystis_pneumonia",
    name: "Pneumocystis pneumonia",
    system: "pulmonary",
    forms: {
      abbreviations: ["PCP", "PJP"],
      synonyms: ["Pneumocystis jirovecii pneumonia"],
      variants: ["Pneumocystis jiroveci pneumonia"],
      paraphrases: ["opportunistic fungal pneumonia due to Pneumocystis"],
      misspellings: ["pneumocystis pnuemonia", "pneumocytis pneumonia"],
    },
    veryClose: ["AIDS-defining opportunistic pneumonia"],
    closelyRelated: ["advanced HIV infection", "cytomegalovirus pneumonitis"],
    related: ["community-acquired pneumonia", "interstitial lung disease", "pulmonary embolism"],
    kin: ["disseminated_histoplasmosis", "pulmonary_tuberculosis"],
    age: [25, 60],
    tempo: "subacute",
    complaint: "progressive shortness of breath and a dry cough",
    findings: [
      "exertional desaturation to 84 percent",
      "bilateral ground-glass opacities",
      "oral thrush",
      "an LDH of 520 U/L",
      "untreated HIV infection",
    ],
    negatives: ["no lobar consolidation", "a negative sputum bacterial culture"],
    test: "bal_pcp",
    equivalentTests: ["induced_sputum_pcp"],
    helpfulTests: ["beta_d_glucan", "cd4_count"],
    unhelpfulTests: ["dexa", "psa", "lipid_panel"],
  },
];

/**
 * Diagnoses common in an emergency department, for the triage (`bi_triage`) cases and some
 * Healer and Landmark cases.
 */
export const ED_DIAGNOSES: readonly DiagnosisConcept[] = [
  {
    key: "appendicitis",
    name: "Acute appendicitis",
    system: "gastrointestinal",
    forms: {
      synonyms: ["appendiceal inflammation"],
      abbreviations: ["appy"],
      paraphrases: ["inflamed appendix", "acute inflammation of the vermiform appendix"],
      misspellings: ["acute appendicitus", "acute apendicitis"],
    },
    veryClose: ["perforated appendix with abscess", "appendiceal phlegmon"],
    closelyRelated: ["mesenteric adenitis", "terminal ileitis"],
    related: ["ovarian torsion", "ectopic pregnancy", "gastroenteritis"],
    age: [12, 45],
    tempo: "acute",
    durations: ["12 hours", "one day"],
    complaint: "abdominal pain moving to the right lower quadrant",
    findings: [
      "periumbilical pain that migrated to the right lower quadrant",
      "anorexia and nausea",
      "tenderness at McBurney point",
      "a white-cell count of 14,000",
    ],
    negatives: ["no urinary symptoms", "no diarrhea"],
    test: "ct_abdomen_pelvis",
    equivalentTests: ["appendix_us"],
    helpfulTests: ["cbc", "urine_culture"],
    unhelpfulTests: ["lipid_panel", "tsh", "dexa"],
  },
  {
    key: "dka",
    name: "Diabetic ketoacidosis",
    system: "endocrine",
    forms: {
      abbreviations: ["DKA"],
      paraphrases: ["insulin-deficient ketoacidosis", "ketoacidosis from uncontrolled diabetes"],
      misspellings: ["diabetic ketoacidocis", "diabetic ketoacidossis"],
    },
    veryClose: ["euglycemic diabetic ketoacidosis", "hyperosmolar hyperglycemic state"],
    closelyRelated: ["uncontrolled type 1 diabetes", "anion-gap metabolic acidosis"],
    related: ["alcoholic ketoacidosis", "gastroenteritis", "acute pancreatitis"],
    age: [15, 40],
    tempo: "acute",
    durations: ["two days"],
    complaint: "vomiting, abdominal pain and rapid breathing",
    findings: [
      "a glucose of 486 mg/dL",
      "an anion gap of 26",
      "Kussmaul respirations",
      "missed insulin doses",
    ],
    negatives: ["no alcohol use", "no focal abdominal tenderness"],
    test: "serum_ketones",
    helpfulTests: ["vbg", "bmp"],
    unhelpfulTests: ["lipid_panel", "dexa", "psa"],
  },
  {
    key: "pneumonia",
    name: "Community-acquired pneumonia",
    system: "pulmonary",
    forms: {
      abbreviations: ["CAP"],
      synonyms: ["lobar pneumonia"],
      paraphrases: ["bacterial lung infection acquired in the community"],
      misspellings: ["community-acquired pnuemonia", "community acquired pneumona"],
    },
    veryClose: ["aspiration pneumonia", "healthcare-associated pneumonia"],
    closelyRelated: ["sepsis from a respiratory source", "parapneumonic effusion"],
    related: ["acute bronchitis", "pulmonary embolism", "heart failure"],
    age: [50, 90],
    tempo: "acute",
    durations: ["three days", "five days"],
    complaint: "fever, productive cough and shortness of breath",
    findings: [
      "fever to 38.9 degrees",
      "crackles at the right base",
      "a respiratory rate of 28",
      "rusty sputum",
    ],
    negatives: ["no leg swelling", "no recent hospitalization"],
    test: "chest_xray",
    equivalentTests: ["ct_chest"],
    helpfulTests: ["blood_cultures", "procalcitonin"],
    unhelpfulTests: ["dexa", "lipid_panel", "psa"],
  },
  {
    key: "stemi",
    name: "ST-elevation myocardial infarction",
    system: "cardiovascular",
    forms: {
      abbreviations: ["STEMI"],
      synonyms: ["acute transmural myocardial infarction"],
      paraphrases: [
        "acute coronary occlusion with ST elevation",
        "heart attack from an occluded coronary artery",
      ],
      misspellings: ["ST-elevation myocardial infraction", "ST elevation myocardial infarcton"],
    },
    veryClose: ["acute myocardial infarction", "acute coronary syndrome"],
    closelyRelated: ["unstable angina", "coronary artery disease"],
    related: ["acute pericarditis", "takotsubo cardiomyopathy", "myocarditis"],
    kin: ["pulmonary_embolism", "aortic_dissection"],
    age: [45, 85],
    tempo: "acute",
    durations: ["one hour", "two hours", "several hours"],
    complaint: "crushing chest pain and sweating",
    findings: [
      "substernal pressure radiating to the left arm",
      "diaphoresis",
      "ST elevation in leads II, III and aVF",
      "a history of diabetes and smoking",
    ],
    negatives: ["no pleuritic component", "equal pulses in both arms"],
    test: "ecg",
    equivalentTests: ["coronary_angiography"],
    helpfulTests: ["troponin", "tte"],
    unhelpfulTests: ["dexa", "psa", "stool_culture"],
  },
  {
    key: "pulmonary_embolism",
    name: "Pulmonary embolism",
    system: "pulmonary",
    forms: {
      abbreviations: ["PE"],
      synonyms: ["pulmonary thromboembolism"],
      variants: ["pulmonary embolus"],
      paraphrases: ["clot in the pulmonary arteries", "venous thromboembolism to the lungs"],
      misspellings: ["pulmonary emobolism", "pulmonary embolsim"],
    },
    veryClose: ["venous thromboembolism"],
    closelyRelated: ["deep vein thrombosis", "acute cor pulmonale"],
    related: ["pleurisy", "pneumothorax", "anxiety attack"],
    kin: ["stemi", "aortic_dissection", "pneumonia", "pneumocystis_pneumonia"],
    age: [25, 80],
    tempo: "acute",
    complaint: "sudden shortness of breath and pleuritic chest pain",
    findings: [
      "a heart rate of 118",
      "an oxygen saturation of 89 percent on room air",
      "a swollen, tender left calf",
      "a long-haul flight five days earlier",
    ],
    negatives: ["clear lung fields on auscultation", "no fever"],
    test: "ctpa",
    equivalentTests: ["vq_scan"],
    helpfulTests: ["d_dimer", "leg_duplex"],
    unhelpfulTests: ["dexa", "psa", "stool_culture"],
  },
  {
    key: "aortic_dissection",
    name: "Acute aortic dissection",
    system: "cardiovascular",
    forms: {
      synonyms: ["dissecting aortic aneurysm"],
      variants: ["type A aortic dissection"],
      paraphrases: ["tear in the aortic intima with a false lumen"],
      misspellings: ["acute aortic disection", "acute aortic dissecton"],
    },
    veryClose: ["acute aortic syndrome", "aortic intramural hematoma", "penetrating aortic ulcer"],
    closelyRelated: ["thoracic aortic aneurysm", "Marfan syndrome"],
    related: ["acute pericarditis", "esophageal rupture", "musculoskeletal chest pain"],
    kin: ["stemi", "pulmonary_embolism"],
    age: [45, 85],
    tempo: "acute",
    durations: ["one hour", "several hours"],
    complaint: "sudden tearing chest pain going through to the back",
    findings: [
      "a blood-pressure difference of 30 mm Hg between the arms",
      "a widened mediastinum on the chest film",
      "long-standing poorly controlled hypertension",
      "a new diastolic murmur",
    ],
    negatives: ["no ST elevation", "no fever"],
    test: "cta_aorta",
    equivalentTests: ["tee"],
    helpfulTests: ["chest_xray", "ecg"],
    unhelpfulTests: ["dexa", "stool_culture", "hba1c"],
  },
  {
    key: "subarachnoid_hemorrhage",
    name: "Subarachnoid hemorrhage",
    system: "neurology",
    forms: {
      abbreviations: ["SAH"],
      variants: ["subarachnoid haemorrhage"],
      paraphrases: ["bleeding into the subarachnoid space", "aneurysmal bleed around the brain"],
      misspellings: ["subarachnoid hemorhage", "subarachnoid hemmorhage"],
    },
    veryClose: ["ruptured intracranial aneurysm", "intracranial hemorrhage"],
    closelyRelated: [
      "unruptured cerebral aneurysm",
      "reversible cerebral vasoconstriction syndrome",
    ],
    related: ["migraine", "bacterial meningitis", "tension headache"],
    kin: ["ischemic_stroke"],
    age: [35, 70],
    tempo: "acute",
    durations: ["two hours", "several hours"],
    complaint: "a sudden, severe headache unlike any before",
    findings: [
      "a thunderclap headache peaking within a minute",
      "neck stiffness",
      "vomiting",
      "a brief loss of consciousness at onset",
    ],
    negatives: ["no fever", "no focal weakness"],
    test: "ct_head",
    equivalentTests: ["lumbar_puncture"],
    helpfulTests: ["cta_head_neck"],
    unhelpfulTests: ["dexa", "lipid_panel", "stool_culture"],
  },
  {
    key: "pyelonephritis",
    name: "Acute pyelonephritis",
    system: "renal",
    forms: {
      synonyms: ["upper urinary tract infection"],
      abbreviations: ["pyelo"],
      paraphrases: ["bacterial infection of the kidney", "kidney infection"],
      misspellings: ["acute pyelonephritus", "acute pylonephritis"],
    },
    veryClose: ["urosepsis", "complicated urinary tract infection"],
    closelyRelated: ["cystitis", "perinephric abscess"],
    related: ["nephrolithiasis", "pelvic inflammatory disease", "musculoskeletal back pain"],
    age: [18, 70],
    sex: "female",
    tempo: "acute",
    complaint: "fever, flank pain and burning on urination",
    findings: [
      "fever to 39.2 degrees with rigors",
      "right costovertebral-angle tenderness",
      "dysuria and urinary frequency",
      "pyuria on the dipstick",
    ],
    negatives: ["no vaginal discharge", "a negative pregnancy test"],
    test: "urine_culture",
    helpfulTests: ["blood_cultures", "renal_us"],
    unhelpfulTests: ["dexa", "lipid_panel", "pft"],
  },
  {
    key: "small_bowel_obstruction",
    name: "Small-bowel obstruction",
    system: "gastrointestinal",
    forms: {
      abbreviations: ["SBO"],
      variants: ["small bowel obstruction"],
      paraphrases: ["mechanical obstruction of the small intestine", "adhesive bowel obstruction"],
      misspellings: ["small bowl obstruction", "small-bowel obstuction"],
    },
    veryClose: ["large-bowel obstruction", "closed-loop obstruction"],
    closelyRelated: ["incarcerated hernia", "paralytic ileus"],
    related: ["gastroenteritis", "constipation", "biliary colic"],
    borderline: [["bowel obstruction, level not specified", 4.5]],
    age: [40, 85],
    tempo: "acute",
    complaint: "crampy abdominal pain, vomiting and no bowel movements",
    findings: [
      "colicky abdominal pain",
      "bilious vomiting",
      "abdominal distension with high-pitched bowel sounds",
      "prior abdominal surgery",
    ],
    negatives: ["no fever", "no peritoneal signs"],
    test: "ct_abdomen_pelvis",
    helpfulTests: ["abdominal_xray", "lactate"],
    unhelpfulTests: ["dexa", "pft", "tsh"],
  },
  {
    key: "ischemic_stroke",
    name: "Acute ischemic stroke",
    system: "neurology",
    forms: {
      abbreviations: ["AIS"],
      synonyms: ["cerebral infarction"],
      variants: ["acute ischaemic stroke"],
      paraphrases: ["acute occlusion of a cerebral artery with infarction"],
      misspellings: ["acute ischemic strok", "acute ischemic storke"],
    },
    veryClose: ["transient ischemic attack", "large-vessel occlusion"],
    closelyRelated: ["cardioembolism from atrial fibrillation", "carotid artery stenosis"],
    related: ["hypoglycemia", "Todd paralysis", "complicated migraine"],
    borderline: [["stroke, type not specified", 4.5]],
    kin: ["subarachnoid_hemorrhage"],
    age: [55, 90],
    tempo: "acute",
    durations: ["90 minutes"],
    complaint: "sudden weakness of one side and trouble speaking",
    findings: [
      "right arm and face weakness",
      "expressive aphasia",
      "onset 90 minutes before arrival",
      "an irregularly irregular pulse",
    ],
    negatives: ["a normal fingerstick glucose", "no headache"],
    test: "mri_dwi",
    helpfulTests: ["ct_head", "cta_head_neck"],
    unhelpfulTests: ["dexa", "pft", "stool_culture"],
  },
  {
    key: "cholecystitis",
    name: "Acute cholecystitis",
    system: "hepatobiliary",
    forms: {
      synonyms: ["acute calculous cholecystitis"],
      paraphrases: [
        "inflamed gallbladder from an impacted stone",
        "acute gallbladder inflammation",
      ],
      misspellings: ["acute cholecistitis", "acute cholecystits"],
    },
    veryClose: ["acalculous cholecystitis", "gallbladder empyema"],
    closelyRelated: ["biliary colic", "choledocholithiasis", "ascending cholangitis"],
    related: ["acute pancreatitis", "peptic ulcer disease", "acute hepatitis"],
    kin: ["pancreatitis"],
    age: [30, 75],
    tempo: "acute",
    durations: ["14 hours"],
    complaint: "right upper abdominal pain after a fatty meal",
    findings: [
      "constant right-upper-quadrant pain for 14 hours",
      "a positive Murphy sign",
      "fever to 38.4 degrees",
      "a white-cell count of 15,000",
    ],
    negatives: ["a normal bilirubin", "a normal lipase"],
    test: "ruq_us",
    equivalentTests: ["hida"],
    helpfulTests: ["lfts", "cbc"],
    unhelpfulTests: ["dexa", "pft", "psa"],
  },
  {
    key: "ectopic_pregnancy",
    name: "Ectopic pregnancy",
    system: "obstetric",
    forms: {
      synonyms: ["extrauterine pregnancy", "tubal pregnancy"],
      paraphrases: ["pregnancy implanted outside the uterus"],
      misspellings: ["ectopic pregancy", "ectopic pregnacy"],
    },
    veryClose: ["pregnancy of unknown location"],
    closelyRelated: ["threatened miscarriage", "complication of early pregnancy"],
    related: ["ovarian torsion", "pelvic inflammatory disease", "ruptured ovarian cyst"],
    kin: ["appendicitis"],
    age: [18, 40],
    sex: "female",
    tempo: "acute",
    complaint: "lower abdominal pain and vaginal spotting",
    findings: [
      "a missed period seven weeks ago",
      "left adnexal tenderness",
      "a positive urine pregnancy test",
      "lightheadedness on standing",
    ],
    negatives: ["no fever", "no urinary symptoms"],
    test: "transvaginal_us",
    helpfulTests: ["hcg", "cbc"],
    unhelpfulTests: ["dexa", "pft", "lipid_panel"],
  },
  {
    key: "pancreatitis",
    name: "Acute pancreatitis",
    system: "gastrointestinal",
    forms: {
      synonyms: ["acute pancreatic inflammation"],
      paraphrases: ["inflammation of the pancreas"],
      misspellings: ["acute pancreatitus", "acute pancreatits"],
    },
    veryClose: ["acute-on-chronic pancreatitis"],
    closelyRelated: ["choledocholithiasis", "pancreatic pseudocyst"],
    related: ["peptic ulcer disease", "mesenteric ischemia", "gastritis"],
    kin: ["cholecystitis"],
    age: [30, 70],
    tempo: "acute",
    complaint: "severe upper abdominal pain boring through to the back",
    findings: [
      "epigastric pain radiating to the back",
      "repeated vomiting",
      "heavy alcohol use",
      "epigastric tenderness with guarding",
    ],
    negatives: ["no gallstones on prior imaging", "a normal troponin"],
    test: "lipase",
    equivalentTests: ["amylase"],
    helpfulTests: ["ruq_us", "triglycerides"],
    unhelpfulTests: ["dexa", "pft", "psa"],
  },
  {
    key: "adhf",
    name: "Acute decompensated heart failure",
    system: "cardiovascular",
    forms: {
      abbreviations: ["ADHF", "CHF exacerbation"],
      synonyms: ["acute heart failure"],
      paraphrases: ["volume overload from a failing left ventricle", "cardiogenic pulmonary edema"],
      misspellings: ["acute decompensated heart faliure", "acute decompensated heart failiure"],
    },
    veryClose: ["flash pulmonary edema"],
    closelyRelated: ["ischemic cardiomyopathy", "aortic stenosis"],
    related: ["COPD exacerbation", "nephrotic syndrome", "cirrhosis with ascites"],
    borderline: [["congestive heart failure, chronic", 4.5]],
    age: [55, 90],
    tempo: "subacute",
    complaint: "increasing shortness of breath and leg swelling",
    findings: [
      "orthopnea and paroxysmal nocturnal dyspnea",
      "jugular venous distension",
      "bibasilar crackles",
      "pitting edema to the knees",
    ],
    negatives: ["no fever", "no productive cough"],
    test: "bnp",
    equivalentTests: ["tte"],
    helpfulTests: ["chest_xray", "ecg"],
    unhelpfulTests: ["dexa", "stool_culture", "psa"],
  },
  {
    key: "bleeding_peptic_ulcer",
    name: "Bleeding peptic ulcer",
    system: "gastrointestinal",
    forms: {
      synonyms: ["peptic ulcer hemorrhage"],
      abbreviations: ["PUD bleed"],
      paraphrases: [
        "upper GI bleeding from an ulcer",
        "hemorrhage from a gastric or duodenal ulcer",
      ],
      misspellings: ["bleeding peptic ulser", "bleeding peptic ucler"],
    },
    veryClose: ["upper gastrointestinal bleeding"],
    closelyRelated: ["erosive gastritis", "Mallory-Weiss tear", "esophageal varices"],
    related: [
      "gastroesophageal reflux disease",
      "lower gastrointestinal bleeding",
      "iron-deficiency anemia",
    ],
    age: [40, 85],
    tempo: "acute",
    durations: ["two days"],
    complaint: "black stools and lightheadedness",
    findings: [
      "melena for two days",
      "daily naproxen for knee pain",
      "a hemoglobin of 7.4 g/dL",
      "a heart rate of 118",
    ],
    negatives: ["no liver disease", "no anticoagulant use"],
    test: "egd",
    helpfulTests: ["cbc", "coags"],
    unhelpfulTests: ["dexa", "pft", "lipid_panel"],
  },
];

/**
 * The test with a given key.
 *
 * @param key A key of `TESTS`.
 * @returns The test.
 * @throws {Error} When no test has that key (a vocabulary mistake).
 */
export function testConcept(key: string): TestConcept {
  const test = TESTS[key];
  if (!test) throw new Error(`sample vocabulary: no test with key ${JSON.stringify(key)}`);
  return test;
}
