/**
 * The synthetic sample's management-reasoning cases: vignettes, questions and rubrics written
 * for this kit (not the Goh 2025 or Grey Matters cases, which are not public here), each rubric
 * item with the phrasings an answer may use to meet it.
 *
 * PRIVATE TO THE SAMPLE GENERATOR. The offline lexical baseline judge must not import this file:
 * the phrasings below are the answer key behind the sample's grades. The baseline sees only what
 * any judge sees, the entry's `rubric` (item descriptions and points).
 *
 * Medical content follows current common practice (ACCP/ESC for pulmonary embolism, ACC/AHA for
 * atrial fibrillation, ACG for ulcer bleeding, ADA for ketoacidosis, IDSA/ATS for pneumonia) in
 * simplified form.
 *
 * @module
 */

/** One rubric item and how an answer can express it. */
export interface RubricItemSpec {
  /** Item id, unique within the question (`"q1.a"`). */
  id: string;
  /** What the rubric rewards (or, for negative points, penalises). */
  description: string;
  /** Points; negative for a harmful action. */
  points: number;
  /** Phrasings that meet the item (for harmful items: that propose the action). */
  says: readonly string[];
  /** Phrasings that gesture at the item without meeting it; raters sometimes credit them. */
  vague?: readonly string[];
  /** For harmful items: phrasings that explicitly reject the action (not met). */
  rejects?: readonly string[];
  /** For harmful items: positive items that an answer proposing this action cannot also meet. */
  contradicts?: readonly string[];
}

/** One open-ended question of a case, with its rubric. */
export interface ManagementQuestion {
  /** Question id within the case (`"q1"`). */
  id: string;
  /** The question as put to the respondent. */
  text: string;
  /** Rubric items, positive and negative. */
  items: readonly RubricItemSpec[];
}

/** A management case: one vignette and several questions. */
export interface ManagementCase {
  /** Stable key. */
  key: string;
  /** The vignette. */
  vignette: string;
  /** The questions, in order. */
  questions: readonly ManagementQuestion[];
}

/** The management cases, in case-id order. */
export const MANAGEMENT_CASES: readonly ManagementCase[] = [
  {
    key: "pulmonary-embolism",
    vignette:
      "A 64-year-old woman with metastatic colon cancer on chemotherapy presents with two " +
      "days of pleuritic chest pain and dyspnea. Heart rate 108/min, blood pressure 128/76 mm Hg, " +
      "oxygen saturation 93% on room air. CT pulmonary angiography shows bilateral segmental " +
      "emboli; the right ventricle is mildly dilated and the troponin is minimally elevated. " +
      "Creatinine clearance is 65 mL/min and the platelet count 180,000/µL. She has no history of " +
      "bleeding.",
    questions: [
      {
        id: "q1",
        text: "How would you treat her pulmonary embolism initially?",
        items: [
          {
            id: "q1.a",
            description:
              "Starts therapeutic anticoagulation promptly (LMWH or a direct oral anticoagulant)",
            points: 2,
            says: [
              "start therapeutic enoxaparin 1 mg/kg twice daily now",
              "begin full-dose anticoagulation right away with low-molecular-weight heparin",
              "commence apixaban 10 mg twice daily for 7 days, then 5 mg twice daily",
            ],
            vague: ["she will need a blood thinner"],
          },
          {
            id: "q1.b",
            description:
              "Recognises intermediate-risk PE (RV dilation, troponin) and monitors for decompensation",
            points: 1,
            says: [
              "this is intermediate-risk PE given the RV dilation and troponin, so admit to telemetry",
              "admit to a monitored bed and watch closely for hemodynamic deterioration given right-heart strain",
            ],
            vague: ["keep an eye on her vitals"],
          },
          {
            id: "q1.c",
            description:
              "Chooses an anticoagulant suited to cancer-associated thrombosis, weighing GI bleeding risk",
            points: 1,
            says: [
              "for cancer-associated clot I'd favour LMWH or apixaban, mindful of bleeding from her colonic tumour",
              "given active colon cancer, apixaban or LMWH are appropriate; edoxaban and rivaroxaban carry more GI bleeding",
            ],
          },
          {
            id: "q1.d",
            description:
              "Reserves thrombolysis or catheter-directed therapy for hemodynamic decompensation",
            points: 1,
            says: [
              "reserve thrombolysis for hypotension or shock",
              "if she decompensates, call the PE response team about catheter-directed therapy or systemic lytics",
            ],
          },
          {
            id: "q1.h1",
            description:
              "Gives systemic thrombolysis now despite a normal blood pressure (harmful)",
            points: -2,
            says: ["give full-dose alteplase now", "administer systemic tPA 100 mg immediately"],
            rejects: [
              "systemic thrombolysis is not indicated while she is normotensive",
              "I would not give tPA at this point",
            ],
            contradicts: ["q1.d"],
          },
          {
            id: "q1.h2",
            description:
              "Places an IVC filter instead of anticoagulating, without a contraindication (harmful)",
            points: -1,
            says: ["place an IVC filter instead of anticoagulating"],
            rejects: ["an IVC filter is not needed because she can be anticoagulated"],
          },
        ],
      },
      {
        id: "q2",
        text: "How long should she be anticoagulated, and why?",
        items: [
          {
            id: "q2.a",
            description: "At least 6 months of anticoagulation",
            points: 2,
            says: ["at least six months of anticoagulation", "a minimum of 6 months of treatment"],
            vague: ["a longer course than usual"],
          },
          {
            id: "q2.b",
            description: "Continues indefinitely while the cancer is active or under treatment",
            points: 2,
            says: [
              "continue for as long as the cancer is active or she is receiving chemotherapy",
              "extended, indefinite anticoagulation while the malignancy persists",
            ],
          },
          {
            id: "q2.c",
            description: "Reassesses bleeding risk periodically",
            points: 1,
            says: [
              "reassess her bleeding risk at each visit",
              "re-evaluate the balance of benefit and bleeding every 3 months",
            ],
          },
          {
            id: "q2.h1",
            description:
              "Stops after 3 months, as for a PE provoked by a transient risk factor (harmful)",
            points: -1,
            says: ["three months is enough, then stop"],
            rejects: ["a 3-month course would be too short here"],
            contradicts: ["q2.a", "q2.b"],
          },
        ],
      },
      {
        id: "q3",
        text: "She asks whether she can go home today. How do you decide?",
        items: [
          {
            id: "q3.a",
            description:
              "Applies a validated risk score (sPESI or Hestia) and recognises she is not low risk",
            points: 2,
            says: [
              "her sPESI is 1 because of active cancer, so she is not low risk",
              "on sPESI she scores a point for cancer, which rules out early discharge",
            ],
            vague: ["she is probably not low risk"],
          },
          {
            id: "q3.b",
            description: "Cites RV dysfunction and troponin as reasons to admit",
            points: 1,
            says: [
              "right-ventricular dilation and a positive troponin argue for admission",
              "evidence of right-heart strain makes outpatient care unsafe",
            ],
          },
          {
            id: "q3.c",
            description: "Explains the reasoning and involves her in the decision",
            points: 1,
            says: [
              "explain the reasoning and agree on a plan with her",
              "discuss her goals and preferences about admission",
            ],
          },
          {
            id: "q3.d",
            description: "Plans follow-up and education for when she is discharged",
            points: 1,
            says: [
              "arrange anticoagulation follow-up and teach bleeding warning signs before discharge",
            ],
          },
          {
            id: "q3.h1",
            description: "Discharges her home today (harmful)",
            points: -2,
            says: ["she can go home today on a DOAC", "discharge today with outpatient follow-up"],
            rejects: ["she should not be discharged today"],
            contradicts: ["q3.a", "q3.b"],
          },
        ],
      },
    ],
  },
  {
    key: "atrial-fibrillation",
    vignette:
      "A 78-year-old man with hypertension, type 2 diabetes and a prior ischemic stroke is " +
      "found to have atrial fibrillation of unknown duration at a routine visit; heart rate " +
      "112/min, blood pressure 138/82 mm Hg. Three years ago he had a bleeding duodenal ulcer, " +
      "treated endoscopically, with no bleeding since. Weight 82 kg, creatinine 1.3 mg/dL " +
      "(creatinine clearance 48 mL/min). He takes aspirin 81 mg daily.",
    questions: [
      {
        id: "q1",
        text: "Should he be anticoagulated? Explain.",
        items: [
          {
            id: "q1.a",
            description: "Estimates stroke risk (CHA2DS2-VASc 6) and recommends anticoagulation",
            points: 2,
            says: [
              "his CHA2DS2-VASc is 6, so anticoagulation is clearly indicated",
              "age, hypertension, diabetes and prior stroke put him at high stroke risk; he should be anticoagulated",
            ],
            vague: ["his stroke risk is probably significant"],
          },
          {
            id: "q1.b",
            description: "Assesses bleeding risk (e.g. HAS-BLED) and corrects modifiable factors",
            points: 1,
            says: [
              "HAS-BLED is high, so remove modifiable risks such as the aspirin rather than withhold anticoagulation",
              "address modifiable bleeding risks: stop aspirin, keep blood pressure controlled",
            ],
          },
          {
            id: "q1.c",
            description: "Prefers a DOAC to warfarin, dosed for age, weight and kidney function",
            points: 1,
            says: [
              "apixaban at the standard 5 mg twice-daily dose, since he meets only one dose-reduction criterion",
              "a DOAC rather than warfarin, with the dose checked against his renal function",
            ],
          },
          {
            id: "q1.d",
            description: "Stops aspirin once anticoagulated (no separate indication)",
            points: 1,
            says: [
              "stop the aspirin once he is anticoagulated",
              "there is no need to continue aspirin alongside the anticoagulant",
            ],
          },
          {
            id: "q1.h1",
            description: "Recommends aspirin alone for stroke prevention (harmful)",
            points: -2,
            says: [
              "continue aspirin alone for stroke prevention",
              "aspirin is sufficient given his bleeding history",
            ],
            rejects: ["aspirin alone is not adequate stroke prevention"],
            contradicts: ["q1.a", "q1.d"],
          },
          {
            id: "q1.h2",
            description:
              "Withholds anticoagulation because of the remote, treated ulcer bleed (harmful)",
            points: -1,
            says: ["avoid anticoagulation because of his previous ulcer bleed"],
            rejects: [
              "the remote, treated ulcer bleed is not a reason to withhold anticoagulation",
            ],
            contradicts: ["q1.a"],
          },
        ],
      },
      {
        id: "q2",
        text: "How would you control his heart rate?",
        items: [
          {
            id: "q2.a",
            description: "Starts a beta-blocker or a non-dihydropyridine calcium-channel blocker",
            points: 2,
            says: [
              "start metoprolol succinate and titrate",
              "rate control with a beta-blocker such as metoprolol",
            ],
            vague: ["slow the heart down with medication"],
          },
          {
            id: "q2.b",
            description: "Sets a lenient resting rate target (below 110/min)",
            points: 1,
            says: [
              "aim for a resting heart rate under 110",
              "a lenient target below 110 beats per minute is reasonable",
            ],
          },
          {
            id: "q2.c",
            description:
              "Looks for precipitants and structural disease (thyroid function, echocardiogram)",
            points: 1,
            says: [
              "check a TSH and get an echocardiogram",
              "look for reversible causes with thyroid tests and an echo",
            ],
          },
          {
            id: "q2.h1",
            description:
              "Cardioverts now although the duration is unknown and he is not anticoagulated (harmful)",
            points: -2,
            says: [
              "arrange electrical cardioversion today",
              "cardiovert now to restore sinus rhythm",
            ],
            rejects: ["no cardioversion without three weeks of anticoagulation or a TEE first"],
          },
        ],
      },
      {
        id: "q3",
        text: "What follow-up and monitoring would you arrange?",
        items: [
          {
            id: "q3.a",
            description: "Monitors kidney function and blood count on the DOAC",
            points: 1,
            says: [
              "repeat creatinine and a blood count every few months given his reduced clearance",
              "monitor kidney function and hemoglobin every 4 to 6 months",
            ],
          },
          {
            id: "q3.b",
            description: "Reviews adherence and bleeding symptoms",
            points: 1,
            says: ["ask about missed doses and any bleeding at each visit"],
          },
          {
            id: "q3.c",
            description: "Adds PPI gastroprotection given the ulcer history",
            points: 1,
            says: [
              "add a proton-pump inhibitor given his ulcer history",
              "gastroprotection with a PPI is reasonable",
            ],
          },
          {
            id: "q3.d",
            description:
              "Reassesses rate and symptoms; considers rhythm control if symptoms persist",
            points: 1,
            says: [
              "reassess heart rate and symptoms in a few weeks and consider rhythm control if symptoms persist",
            ],
          },
          {
            id: "q3.h1",
            description: "Orders routine INR monitoring for a DOAC (harmful)",
            points: -1,
            says: ["check his INR monthly to monitor the DOAC"],
            rejects: ["INR monitoring is not needed on a DOAC"],
          },
        ],
      },
    ],
  },
  {
    key: "ulcer-bleeding",
    vignette:
      "A 59-year-old man taking naproxen for knee osteoarthritis presents with two days of " +
      "melena and lightheadedness. Heart rate 118/min, blood pressure 96/60 mm Hg. Hemoglobin " +
      "7.4 g/dL (baseline 13.5), BUN 48 mg/dL, creatinine 1.0 mg/dL. He has no liver disease and " +
      "takes no anticoagulants.",
    questions: [
      {
        id: "q1",
        text: "What are your immediate management steps?",
        items: [
          {
            id: "q1.a",
            description: "Places two large-bore IVs and resuscitates with crystalloid",
            points: 2,
            says: [
              "two large-bore IVs and crystalloid resuscitation",
              "place two large-bore cannulas and give IV fluids",
            ],
            vague: ["get access"],
          },
          {
            id: "q1.b",
            description:
              "Transfuses red cells with a restrictive threshold (hemoglobin below 7 g/dL, 8 with heart disease)",
            points: 2,
            says: [
              "transfuse to keep the hemoglobin above 7 g/dL",
              "a restrictive transfusion strategy with a threshold of 7",
            ],
            vague: ["give blood as needed"],
          },
          {
            id: "q1.c",
            description: "Starts a high-dose intravenous proton-pump inhibitor",
            points: 1,
            says: ["start IV pantoprazole 80 mg", "high-dose intravenous PPI"],
          },
          {
            id: "q1.d",
            description: "Stops NSAIDs",
            points: 1,
            says: ["stop the naproxen", "hold all NSAIDs"],
          },
          {
            id: "q1.e",
            description: "Risk-stratifies (Glasgow-Blatchford score) and admits",
            points: 1,
            says: [
              "his Glasgow-Blatchford score is high, so he needs admission and inpatient endoscopy",
            ],
          },
          {
            id: "q1.h1",
            description: "Transfuses to a liberal target (hemoglobin above 10 g/dL) (harmful)",
            points: -1,
            says: ["transfuse until the hemoglobin is above 10"],
            rejects: ["there is no need to transfuse to 10; a restrictive target is better"],
            contradicts: ["q1.b"],
          },
        ],
      },
      {
        id: "q2",
        text: "When should endoscopy be done, and what do you expect it to show?",
        items: [
          {
            id: "q2.a",
            description: "Upper endoscopy within 24 hours, after resuscitation",
            points: 2,
            says: [
              "EGD within 24 hours once he is hemodynamically stabilised",
              "upper endoscopy in the first 24 hours",
            ],
            vague: ["scope him soon"],
          },
          {
            id: "q2.b",
            description: "Names an NSAID-related peptic ulcer as the likely source",
            points: 1,
            says: [
              "most likely an NSAID-induced peptic ulcer",
              "I suspect a bleeding duodenal or gastric ulcer from the naproxen",
            ],
          },
          {
            id: "q2.c",
            description:
              "Treats high-risk stigmata (active bleeding, visible vessel) endoscopically",
            points: 1,
            says: [
              "treat high-risk stigmata such as active bleeding or a visible vessel with endoscopic hemostasis",
            ],
          },
          {
            id: "q2.d",
            description: "Considers erythromycin before endoscopy to improve the view",
            points: 1,
            says: ["give IV erythromycin 30 to 120 minutes before the scope"],
          },
          {
            id: "q2.h1",
            description: "Takes him to endoscopy before resuscitating him (harmful)",
            points: -1,
            says: ["take him straight to endoscopy before giving fluids"],
            rejects: ["resuscitate first; endoscopy comes after he is stable"],
          },
        ],
      },
      {
        id: "q3",
        text: "What will you do after hemostasis?",
        items: [
          {
            id: "q3.a",
            description: "Tests for Helicobacter pylori and treats it if present",
            points: 2,
            says: [
              "test for H. pylori and give eradication therapy if positive",
              "biopsy or stool antigen for Helicobacter, treat if found",
            ],
          },
          {
            id: "q3.b",
            description: "Continues high-dose PPI for 72 hours, then oral twice daily",
            points: 1,
            says: ["continue high-dose PPI for 72 hours, then oral twice daily"],
            vague: ["keep him on acid suppression"],
          },
          {
            id: "q3.c",
            description: "Avoids NSAIDs long term and offers other analgesia",
            points: 1,
            says: ["switch to acetaminophen for his knee pain and avoid NSAIDs"],
          },
          {
            id: "q3.d",
            description: "Checks iron stores and replaces iron",
            points: 1,
            says: ["check ferritin and replace iron"],
          },
          {
            id: "q3.h1",
            description: "Restarts naproxen at discharge (harmful)",
            points: -2,
            says: ["restart naproxen once he is stable"],
            rejects: ["he should not restart naproxen"],
            contradicts: ["q3.c"],
          },
        ],
      },
    ],
  },
  {
    key: "ketoacidosis",
    vignette: "A 22-year-old woman with type 1 diabetes presents with two days of vomiting and " +
      "abdominal pain after missing insulin doses. Glucose 486 mg/dL, venous pH 7.12, " +
      "bicarbonate 9 mmol/L, anion gap 26, potassium 3.1 mmol/L, beta-hydroxybutyrate " +
      "6.2 mmol/L, creatinine 1.3 mg/dL. She is tachycardic with dry mucous membranes.",
    questions: [
      {
        id: "q1",
        text: "Outline your initial treatment.",
        items: [
          {
            id: "q1.a",
            description: "Resuscitates with isotonic crystalloid",
            points: 2,
            says: [
              "1 to 1.5 L of balanced crystalloid in the first hour",
              "aggressive IV fluids with isotonic saline",
            ],
            vague: ["give fluids"],
          },
          {
            id: "q1.b",
            description: "Replaces potassium before insulin because potassium is below 3.3 mmol/L",
            points: 2,
            says: [
              "her potassium is 3.1, so replace potassium before starting insulin",
              "hold insulin until potassium is above 3.3 mmol/L and give IV potassium chloride",
            ],
          },
          {
            id: "q1.c",
            description:
              "Starts an intravenous insulin infusion once potassium is at least 3.3 mmol/L",
            points: 1,
            says: [
              "then begin an insulin infusion at 0.1 units/kg/h",
              "fixed-rate intravenous insulin once the potassium is adequate",
            ],
            vague: ["insulin"],
          },
          {
            id: "q1.d",
            description: "Adds dextrose when glucose falls below about 250 mg/dL",
            points: 1,
            says: [
              "add dextrose to the fluids when glucose drops below 250",
              "switch to D5 once glucose is under 250 mg/dL and keep the insulin running",
            ],
          },
          {
            id: "q1.h1",
            description: "Starts insulin immediately despite a potassium of 3.1 mmol/L (harmful)",
            points: -2,
            says: ["start an insulin drip right away", "give an IV insulin bolus now"],
            rejects: ["do not start insulin until the potassium is corrected"],
            contradicts: ["q1.b"],
          },
          {
            id: "q1.h2",
            description: "Gives sodium bicarbonate at a pH of 7.12 (harmful)",
            points: -1,
            says: ["give sodium bicarbonate for the acidosis"],
            rejects: ["bicarbonate is not indicated at a pH of 7.12"],
          },
        ],
      },
      {
        id: "q2",
        text: "How will you monitor her, and when can the insulin infusion stop?",
        items: [
          {
            id: "q2.a",
            description: "Hourly glucose; electrolytes and venous pH every 2 to 4 hours",
            points: 2,
            says: [
              "hourly fingersticks and a metabolic panel with a venous gas every 2 to 4 hours",
            ],
            vague: ["follow her labs"],
          },
          {
            id: "q2.b",
            description:
              "States resolution criteria (anion gap closed, bicarbonate at least 15-18, pH above 7.3)",
            points: 2,
            says: [
              "the episode has resolved when the anion gap closes, bicarbonate is at least 15 to 18 and pH is above 7.3",
              "stop only when the gap has closed and the venous pH is over 7.3",
            ],
          },
          {
            id: "q2.c",
            description:
              "Overlaps subcutaneous basal insulin 1 to 2 hours before stopping the infusion",
            points: 1,
            says: [
              "give basal glargine 1 to 2 hours before stopping the drip",
              "overlap subcutaneous long-acting insulin with the infusion",
            ],
          },
          {
            id: "q2.h1",
            description:
              "Stops the infusion when glucose normalises, before the gap closes (harmful)",
            points: -2,
            says: ["stop the insulin drip once the glucose is below 200"],
            rejects: ["a normal glucose is not the endpoint; the anion gap must close"],
            contradicts: ["q2.b"],
          },
        ],
      },
      {
        id: "q3",
        text: "What should happen before she goes home?",
        items: [
          {
            id: "q3.a",
            description: "Looks for precipitants beyond missed doses (infection, pregnancy)",
            points: 1,
            says: ["check a pregnancy test and look for infection as well as the missed doses"],
          },
          {
            id: "q3.b",
            description: "Teaches sick-day rules",
            points: 1,
            says: ["teach sick-day rules: never stop basal insulin, check ketones when unwell"],
            vague: ["diabetes education"],
          },
          {
            id: "q3.c",
            description: "Asks about cost and access barriers to insulin",
            points: 1,
            says: ["ask whether she can afford and obtain her insulin"],
          },
          {
            id: "q3.d",
            description: "Arranges diabetes follow-up",
            points: 1,
            says: ["book follow-up with her endocrinologist within 1 to 2 weeks"],
          },
          {
            id: "q3.h1",
            description: "Switches her to an oral agent instead of insulin (harmful)",
            points: -1,
            says: ["switch her to metformin"],
            rejects: ["oral agents have no role in her type 1 diabetes"],
          },
        ],
      },
    ],
  },
  {
    key: "hypercalcemia",
    vignette:
      "A 68-year-old man with metastatic squamous-cell lung cancer presents with confusion, " +
      "constipation and polyuria. Calcium 14.2 mg/dL (albumin 3.8 g/dL), creatinine 1.8 mg/dL " +
      "(baseline 1.0), PTH suppressed. He appears volume depleted. He takes hydrochlorothiazide " +
      "for hypertension.",
    questions: [
      {
        id: "q1",
        text: "How would you treat his hypercalcemia?",
        items: [
          {
            id: "q1.a",
            description: "Gives intravenous isotonic saline",
            points: 2,
            says: [
              "IV normal saline at 200 to 300 mL/h, adjusted to urine output",
              "volume-expand with isotonic saline",
            ],
            vague: ["hydrate him"],
          },
          {
            id: "q1.b",
            description:
              "Gives a bisphosphonate (zoledronic acid, with attention to kidney function) or denosumab",
            points: 2,
            says: [
              "zoledronic acid 4 mg IV, with attention to his kidney function",
              "IV zoledronate, or denosumab if his renal function worsens",
            ],
          },
          {
            id: "q1.c",
            description: "Adds calcitonin for rapid, short-term lowering",
            points: 1,
            says: ["add calcitonin for a quick effect over the first 48 hours"],
          },
          {
            id: "q1.d",
            description: "Stops hydrochlorothiazide",
            points: 1,
            says: ["stop the hydrochlorothiazide", "discontinue the thiazide"],
          },
          {
            id: "q1.h1",
            description: "Gives a loop diuretic before volume repletion (harmful)",
            points: -2,
            says: ["start furosemide right away to push out calcium"],
            rejects: ["furosemide has no role until he is volume replete"],
          },
          {
            id: "q1.h2",
            description: "Continues the thiazide (harmful)",
            points: -1,
            says: ["continue his hydrochlorothiazide"],
            contradicts: ["q1.d"],
          },
        ],
      },
      {
        id: "q2",
        text: "What is the likely mechanism, and how would you confirm it?",
        items: [
          {
            id: "q2.a",
            description: "Identifies PTHrP-mediated humoral hypercalcemia of malignancy",
            points: 2,
            says: [
              "humoral hypercalcemia from PTHrP secreted by the squamous carcinoma",
              "PTH-related peptide made by the tumour",
            ],
            vague: ["the cancer is causing it"],
          },
          {
            id: "q2.b",
            description: "Checks a PTHrP level",
            points: 1,
            says: ["send a PTHrP level"],
          },
          {
            id: "q2.c",
            description: "Considers lytic bone metastases and calcitriol-mediated causes",
            points: 1,
            says: ["look for lytic bone metastases and check 1,25-dihydroxyvitamin D"],
          },
          {
            id: "q2.d",
            description: "Notes that the suppressed PTH excludes primary hyperparathyroidism",
            points: 1,
            says: ["the suppressed PTH argues against primary hyperparathyroidism"],
          },
        ],
      },
      {
        id: "q3",
        text: "How would you approach goals of care?",
        items: [
          {
            id: "q3.a",
            description:
              "Recognises that hypercalcemia of malignancy signals a poor prognosis and discusses it honestly",
            points: 2,
            says: [
              "hypercalcemia of malignancy carries a poor prognosis, often months, and I would say so openly",
            ],
            vague: ["this is serious"],
          },
          {
            id: "q3.b",
            description:
              "Elicits his values once the confusion clears, involving his surrogate meanwhile",
            points: 1,
            says: [
              "once he is less confused, ask what matters most to him; involve his health-care proxy meanwhile",
            ],
          },
          {
            id: "q3.c",
            description: "Offers palliative care consultation",
            points: 1,
            says: ["involve palliative care", "a palliative care referral"],
          },
          {
            id: "q3.d",
            description: "Clarifies code status",
            points: 1,
            says: ["discuss resuscitation preferences and code status"],
          },
          {
            id: "q3.h1",
            description: "Avoids any prognosis discussion (harmful)",
            points: -1,
            says: ["leave prognosis entirely to oncology and avoid the topic"],
            contradicts: ["q3.a"],
          },
        ],
      },
    ],
  },
  {
    key: "pneumonia",
    vignette: "An 81-year-old woman living at home presents with fever, productive cough and new " +
      "confusion. Temperature 38.9 °C, respiratory rate 32/min, blood pressure 94/58 mm Hg, " +
      "oxygen saturation 90% on room air. BUN 30 mg/dL. The chest radiograph shows right-lower-" +
      "lobe consolidation. She has had no antibiotics or hospital stay in the past 90 days.",
    questions: [
      {
        id: "q1",
        text: "Where should she be treated, and why?",
        items: [
          {
            id: "q1.a",
            description:
              "Scores severity (CURB-65 of 5, or severe-CAP criteria) and admits, considering the ICU",
            points: 2,
            says: [
              "her CURB-65 is 5, so she needs admission and an ICU assessment",
              "she meets criteria for severe pneumonia; admit to a high-dependency or ICU bed",
            ],
            vague: ["she looks sick enough to admit"],
          },
          {
            id: "q1.b",
            description: "Recognises sepsis and measures lactate",
            points: 1,
            says: ["she is septic; check a lactate"],
          },
          {
            id: "q1.c",
            description: "Takes blood and sputum cultures before antibiotics",
            points: 1,
            says: ["blood cultures and a sputum culture before antibiotics"],
          },
          {
            id: "q1.h1",
            description: "Treats her as an outpatient (harmful)",
            points: -2,
            says: ["treat as an outpatient with oral amoxicillin"],
            rejects: ["outpatient treatment would be unsafe"],
            contradicts: ["q1.a"],
          },
        ],
      },
      {
        id: "q2",
        text: "Which empirical antibiotics would you start?",
        items: [
          {
            id: "q2.a",
            description: "A beta-lactam plus a macrolide (or a respiratory fluoroquinolone)",
            points: 2,
            says: ["ceftriaxone plus azithromycin", "IV ceftriaxone with a macrolide"],
            vague: ["broad antibiotics"],
          },
          {
            id: "q2.b",
            description: "Gives the first dose promptly (within the hour in sepsis)",
            points: 1,
            says: ["give the first dose within an hour"],
          },
          {
            id: "q2.c",
            description: "Withholds MRSA and pseudomonal cover without risk factors",
            points: 1,
            says: [
              "no vancomycin or antipseudomonal cover, since she has no prior isolates or recent hospital stay",
            ],
          },
          {
            id: "q2.h1",
            description: "Adds vancomycin and piperacillin-tazobactam routinely (harmful)",
            points: -1,
            says: ["start vancomycin plus piperacillin-tazobactam"],
            contradicts: ["q2.c"],
          },
        ],
      },
      {
        id: "q3",
        text: "She is better by day 3. How do you plan the rest of her care?",
        items: [
          {
            id: "q3.a",
            description: "Switches to oral antibiotics once clinically stable",
            points: 2,
            says: ["step down to oral therapy once she is afebrile and hemodynamically stable"],
            vague: ["switch to pills soon"],
          },
          {
            id: "q3.b",
            description: "A total course of about 5 days if she stays stable",
            points: 1,
            says: ["a total of 5 days of antibiotics if she remains stable"],
          },
          {
            id: "q3.c",
            description: "Does not repeat chest imaging routinely",
            points: 1,
            says: ["no repeat chest film before discharge unless she worsens"],
          },
          {
            id: "q3.d",
            description: "Updates pneumococcal and influenza vaccination",
            points: 1,
            says: ["update her pneumococcal and influenza vaccines"],
          },
          {
            id: "q3.h1",
            description: "Continues IV antibiotics for two weeks (harmful)",
            points: -1,
            says: ["continue IV antibiotics for two weeks"],
            rejects: ["there is no need for a prolonged IV course"],
            contradicts: ["q3.a", "q3.b"],
          },
        ],
      },
    ],
  },
  {
    key: "hyperkalemia",
    vignette: "A 70-year-old man with stage 4 chronic kidney disease and heart failure, on " +
      "lisinopril and spironolactone, has a potassium of 7.1 mmol/L on routine labs. He feels " +
      "weak. The ECG shows peaked T waves and a QRS of 140 ms. Blood pressure 132/70 mm Hg; he " +
      "still passes urine.",
    questions: [
      {
        id: "q1",
        text: "What are your immediate steps?",
        items: [
          {
            id: "q1.a",
            description: "Gives intravenous calcium at once to stabilise the myocardium",
            points: 2,
            says: [
              "give IV calcium gluconate now to stabilise the myocardium",
              "IV calcium first, for membrane stabilisation",
            ],
            vague: ["calcium"],
          },
          {
            id: "q1.b",
            description: "Shifts potassium into cells with insulin and dextrose",
            points: 2,
            says: [
              "10 units of regular insulin IV with dextrose",
              "insulin and glucose to drive potassium into the cells",
            ],
          },
          {
            id: "q1.c",
            description: "Adds nebulised albuterol",
            points: 1,
            says: ["high-dose nebulised albuterol"],
          },
          {
            id: "q1.d",
            description: "Puts him on a cardiac monitor and repeats the ECG",
            points: 1,
            says: ["continuous cardiac monitoring", "put him on telemetry and repeat the ECG"],
          },
          {
            id: "q1.h1",
            description: "Waits for a repeat potassium before treating (harmful)",
            points: -2,
            says: ["repeat the potassium first in case the sample was hemolysed"],
            rejects: ["with ECG changes there is no time to wait for a repeat level"],
            contradicts: ["q1.a"],
          },
        ],
      },
      {
        id: "q2",
        text: "How will you remove potassium from his body?",
        items: [
          {
            id: "q2.a",
            description: "A potassium binder (sodium zirconium cyclosilicate or patiromer)",
            points: 2,
            says: [
              "start sodium zirconium cyclosilicate",
              "a potassium binder such as patiromer or SZC",
            ],
            vague: ["something to bind potassium"],
          },
          {
            id: "q2.b",
            description: "A loop diuretic, since he passes urine and is not volume depleted",
            points: 1,
            says: ["IV furosemide since he still makes urine"],
          },
          {
            id: "q2.c",
            description: "Urgent nephrology input for dialysis if refractory",
            points: 2,
            says: ["call nephrology about urgent hemodialysis if he does not respond"],
          },
          {
            id: "q2.h1",
            description:
              "Relies on sodium polystyrene sulfonate as the main emergency therapy (harmful)",
            points: -1,
            says: ["give Kayexalate as the main treatment"],
          },
        ],
      },
      {
        id: "q3",
        text: "How will you prevent a recurrence?",
        items: [
          {
            id: "q3.a",
            description: "Stops spironolactone and holds the ACE inhibitor, then reassesses",
            points: 2,
            says: ["stop spironolactone and hold lisinopril for now"],
            vague: ["review his medicines"],
          },
          {
            id: "q3.b",
            description:
              "Dietary advice and a review of other potassium sources (salt substitutes, NSAIDs)",
            points: 1,
            says: ["dietary counselling: avoid salt substitutes and high-potassium foods"],
          },
          {
            id: "q3.c",
            description: "Considers a chronic binder to allow heart-failure therapy to continue",
            points: 1,
            says: ["a chronic potassium binder may let us restart his RAAS inhibitors"],
          },
          {
            id: "q3.d",
            description: "Rechecks potassium within days",
            points: 1,
            says: ["recheck potassium within a few days"],
          },
          {
            id: "q3.h1",
            description: "Continues spironolactone unchanged (harmful)",
            points: -1,
            says: ["continue spironolactone at the same dose"],
            contradicts: ["q3.a"],
          },
        ],
      },
    ],
  },
  {
    key: "alcohol-withdrawal",
    vignette: "A 52-year-old man admitted with cellulitis drinks about a pint of vodka daily. " +
      "Thirty-six hours after his last drink he is tremulous, sweating and anxious; heart rate " +
      "118/min, blood pressure 162/96 mm Hg, CIWA-Ar score 19. He had a withdrawal seizure two " +
      "years ago.",
    questions: [
      {
        id: "q1",
        text: "How would you manage his withdrawal?",
        items: [
          {
            id: "q1.a",
            description: "A benzodiazepine, symptom-triggered or front-loaded, guided by CIWA-Ar",
            points: 2,
            says: [
              "symptom-triggered lorazepam or diazepam dosed by CIWA-Ar",
              "front-load diazepam and re-score CIWA every hour",
            ],
            vague: ["something to calm the withdrawal"],
          },
          {
            id: "q1.b",
            description: "Gives thiamine before glucose",
            points: 2,
            says: ["give IV thiamine before any dextrose", "high-dose parenteral thiamine"],
          },
          {
            id: "q1.c",
            description:
              "Manages him in a monitored setting given the seizure history and severity",
            points: 1,
            says: ["a step-down or monitored bed given his seizure history"],
          },
          {
            id: "q1.d",
            description: "Replaces magnesium, phosphate and potassium",
            points: 1,
            says: ["replace magnesium and phosphate"],
          },
          {
            id: "q1.h1",
            description: "Sedates with an antipsychotic alone (harmful)",
            points: -2,
            says: ["haloperidol to calm him down"],
            rejects: ["antipsychotics alone are not appropriate for withdrawal"],
            contradicts: ["q1.a"],
          },
        ],
      },
      {
        id: "q2",
        text: "He asks for help to stop drinking. What do you offer?",
        items: [
          {
            id: "q2.a",
            description: "Offers medication for alcohol use disorder (naltrexone or acamprosate)",
            points: 2,
            says: ["offer naltrexone or acamprosate", "start acamprosate and arrange follow-up"],
            vague: ["there are medicines that can help"],
          },
          {
            id: "q2.b",
            description: "Checks liver tests and opioid use before naltrexone",
            points: 1,
            says: ["check liver tests before naltrexone and make sure he takes no opioids"],
          },
          {
            id: "q2.c",
            description:
              "Motivational interviewing and referral to counselling or mutual-help groups",
            points: 1,
            says: ["motivational interviewing and a referral to counselling or AA"],
          },
          {
            id: "q2.h1",
            description: "Prescribes long-term benzodiazepines to keep him off alcohol (harmful)",
            points: -1,
            says: ["send him home on daily alprazolam to keep him off alcohol"],
            rejects: ["long-term benzodiazepines are not a treatment for alcohol use disorder"],
          },
        ],
      },
    ],
  },
];
