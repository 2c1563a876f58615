import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A two-client dataset written by hand, for features checked against values worked out on paper
 * (test/features/build-training-examples.test.ts). C2 joins after every decision date.
 */
export const HAND_FILES: Readonly<Record<string, string>> = {
  'products.csv': `product_id,name,family,is_credit,min_age,max_age,required_risk_profile,unit_value
P_A,Livret,savings,false,,,,100
P_B,Credit,credit,true,18,70,,400
P_C,PEA,investment,false,18,,balanced,250
`,
  'channels.csv': `channel_id,name,cost_per_contact,daily_capacity
phone,Phone,8,
email,Email,0.1,
`,
  'clients.csv': `client_id,birth_year,segment,income_band,region,branch_id,advisor_id,risk_profile,financially_fragile,customer_since
C1,1980,mass,3,IDF,B1,A1,prudent,false,2020-01-01
C2,2010,young,1,IDF,B1,A1,dynamic,true,2025-06-01
`,
  'holdings.csv': `client_id,product_id,opened_at,closed_at
C1,P_A,2021-01-01,
C1,P_B,2019-05-01,2024-12-31
C1,P_B,2025-02-20,
`,
  'consents.csv': `client_id,channel_id,status,at
C1,email,granted,2020-01-01T10:00:00Z
C1,email,refused,2025-02-10T09:00:00Z
C1,phone,granted,2025-02-16T00:00:00Z
`,
  'solicitations.csv': `solicitation_id,client_id,product_id,channel_id,campaign_id,sent_at,logging_propensity,outcome,outcome_at
S1,C1,P_B,email,,2025-01-20T09:00:00Z,0.2,refused,2025-01-21T10:00:00Z
S2,C1,P_B,email,,2025-02-01T09:00:00Z,0.05,no_response,
`,
  'events.csv': `event_id,client_id,session_id,at,type,page,product_id
E1,C1,W1,2025-01-30T10:00:00Z,page_view,/pea,P_C
E2,C1,W1,2025-01-30T10:05:00Z,simulation,/pea,P_C
E3,C1,W2,2025-02-14T12:00:00Z,login,,
`,
  'balances.csv': `client_id,account_type,month,balance
C1,current,2024-08,800
C1,current,2024-09,1000
C1,current,2024-10,1100
C1,current,2024-11,900
C1,current,2024-12,-200
C1,current,2025-01,1200
C1,current,2025-02,9999
C1,savings,2025-01,5000
`,
  'verbatims.csv': `verbatim_id,client_id,at,channel_id,product_id,score,text
V1,C1,2025-01-25T08:00:00Z,email,P_B,2,"Trop de mails, merci."
`,
};

/** Writes the hand dataset into `dir` (created). */
export function writeHandFixture(dir: string, files: Readonly<Record<string, string>> = HAND_FILES): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
