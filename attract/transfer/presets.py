"""Which column holds which field: the fields each kind of import knows, and the column names
of the exports people bring from other tools, so the mapping fills itself in."""

from __future__ import annotations

import re

from attract.core.search_text import search_key

FIELDS: dict[str, dict[str, str]] = {
    "persons": {
        "full_name": "Full name",
        "first_name": "First name",
        "last_name": "Last name",
        "email": "Email",
        "email_2": "Other email",
        "email_3": "Third email",
        "phone": "Phone",
        "phone_2": "Mobile / other phone",
        "phone_3": "Third phone",
        "emails": "Emails (several, one per line)",
        "phones": "Phones (several, one per line)",
        "country": "Country (reads the row's phone numbers)",
        "job_title": "Job title",
        "company": "Company name",
        "notes": "Notes",
        "tags": "Tags (comma separated)",
        "owner": "Owner (a team member's name or email)",
        "source_id": "Id in the other CRM",
        "account_id": "Account id (the company's Id, from an imported accounts file)",
    },
    "companies": {
        "name": "Name",
        "website": "Website",
        "industry": "Industry",
        "street": "Street",
        "city": "City",
        "postal_code": "Postal code",
        "country": "Country",
        "customer_since": "Customer since (date)",
        "notes": "Notes",
        "tags": "Tags (comma separated)",
        "owner": "Owner (a team member's name or email)",
        "source_id": "Id in the other CRM",
    },
    "deals": {
        "title": "Title",
        "company": "Company name",
        "contact_email": "Contact email",
        "stage": "Stage",
        "revenue": "Revenue",
        "cost": "Cost",
        "opened_on": "Opened on (date)",
        "expected_close_date": "Expected close date",
        "closed_on": "Closed on (date)",
        "status": "Status (won / lost / open)",
        "probability": "Probability (%), to suggest stages",
        "reached_interest_on": "Reached Interest on (date)",
        "reached_conviction_on": "Reached Conviction on (date)",
        "reached_desire_on": "Reached Desire on (date)",
        "reached_action_on": "Reached Action on (date)",
        "pain": "The customer's pain",
        "lost_reason": "Lost reason",
        "source_id": "Id in the other CRM",
        "account_id": "Account id (the company's Id, from an imported accounts file)",
    },
}
KINDS = tuple(FIELDS)

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    "hubspot": {
        "persons": {
            "First Name": "first_name",
            "Last Name": "last_name",
            "Email": "email",
            "Phone Number": "phone",
            "Mobile Phone Number": "phone_2",
            "Job Title": "job_title",
            "Company Name": "company",
            "Country/Region": "country",
        },
        "companies": {
            "Company name": "name",
            "Company Domain Name": "website",
            "Industry": "industry",
            "Street Address": "street",
            "City": "city",
            "Postal Code": "postal_code",
            "Country/Region": "country",
        },
        "deals": {
            "Deal Name": "title",
            "Deal Stage": "stage",
            "Amount": "revenue",
            "Create Date": "opened_on",
            "Close Date": "expected_close_date",
            "Associated Company": "company",
        },
    },
    "salesforce": {
        "persons": {
            "FirstName": "first_name",
            "LastName": "last_name",
            "Email": "email",
            "Phone": "phone",
            "MobilePhone": "phone_2",
            "Title": "job_title",
            "Current_Employer__c": "company",
            "Account Name": "company",
            "Description": "notes",
            "Id": "source_id",
            "AccountId": "account_id",
            "MailingCountry": "country",
        },
        "companies": {
            "Name": "name",
            "Website": "website",
            "Industry": "industry",
            "BillingStreet": "street",
            "BillingCity": "city",
            "BillingPostalCode": "postal_code",
            "BillingCountry": "country",
            "Description": "notes",
            "Id": "source_id",
        },
        "deals": {
            "Name": "title",
            "StageName": "stage",
            "Amount": "revenue",
            "CreatedDate": "opened_on",
            "CloseDate": "expected_close_date",
            "Probability": "probability",
            "Description": "pain",
            "Id": "source_id",
            "AccountId": "account_id",
        },
    },
    "pipedrive": {
        "persons": {
            "Person - Name": "full_name",
            "Person - Email": "email",
            "Person - Phone": "phone",
            "Person - Organization": "company",
            "Person - Job title": "job_title",
        },
        "companies": {
            "Organization - Name": "name",
            "Organization - Address": "street",
            "Organization - Website": "website",
        },
        "deals": {
            "Deal - Title": "title",
            "Deal - Stage": "stage",
            "Deal - Value": "revenue",
            "Deal - Organization": "company",
            "Deal - Deal created": "opened_on",
            "Deal - Expected close date": "expected_close_date",
            "Deal - Won time": "closed_on",
            "Deal - Status": "status",
            "Deal - Probability": "probability",
            "Deal - Lost reason": "lost_reason",
        },
    },
    "google": {
        "persons": {
            "Name": "full_name",
            "Given Name": "first_name",
            "Family Name": "last_name",
            "First Name": "first_name",
            "Last Name": "last_name",
            "E-mail 1 - Value": "email",
            "E-mail 2 - Value": "email_2",
            "Phone 1 - Value": "phone",
            "Phone 2 - Value": "phone_2",
            "Organization 1 - Name": "company",
            "Organization 1 - Title": "job_title",
            "Organization Name": "company",
            "Organization Title": "job_title",
            "Notes": "notes",
        },
    },
    "outlook": {
        "persons": {
            "First Name": "first_name",
            "Last Name": "last_name",
            "E-mail Address": "email",
            "E-mail 2 Address": "email_2",
            "Business Phone": "phone",
            "Mobile Phone": "phone_2",
            "Company": "company",
            "Job Title": "job_title",
            "Notes": "notes",
        },
    },
}

# Column names anyone might use, compared without case, spaces or punctuation.
_ALIASES: dict[str, dict[str, str]] = {
    "persons": {
        "name": "full_name",
        "fullname": "full_name",
        "displayname": "full_name",
        "firstname": "first_name",
        "first": "first_name",
        "last": "last_name",
        "givenname": "first_name",
        "lastname": "last_name",
        "surname": "last_name",
        "familyname": "last_name",
        "email": "email",
        "emailaddress": "email",
        "primaryemail": "email",
        "secondaryemail": "email_2",
        "otheremails": "emails",
        "otherphones": "phones",
        "phone": "phone",
        "phonenumber": "phone",
        "workphone": "phone",
        "mobile": "phone_2",
        "mobilenumber": "phone_2",
        "mobilephone": "phone_2",
        "title": "job_title",
        "jobtitle": "job_title",
        "company": "company",
        "organization": "company",
        "organisation": "company",
        "account": "company",
        "notes": "notes",
        "tags": "tags",
        "country": "country",
        "countryregion": "country",
        "mailingcountry": "country",
        "billingcountry": "country",
        "land": "country",
        "pays": "country",
        "pais": "country",
        "businesscountryregion": "country",
        "homecountryregion": "country",
        # Numbered columns (Google, Zoho, lead lists) and other tools' names.
        "email1": "email",
        "email2": "email_2",
        "email3": "email_3",
        "emailaddress1": "email",
        "emailaddress2": "email_2",
        "emailaddress3": "email_3",
        "phone1": "phone",
        "phone2": "phone_2",
        "phone3": "phone_3",
        "homephone": "phone_3",
        "otherphone": "phone_3",
        "businessphone": "phone",
        "personname": "full_name",
        "personemail": "email",
        "personphone": "phone",
        "personorganization": "company",
        "organizationname": "company",
        "companyname": "company",
        "accountname": "company",
        "contactname": "full_name",
        "owner": "owner",
        "contactowner": "owner",
        "leadowner": "owner",
        "salesagent": "owner",
        "ownerid": "owner",
        "ownername": "owner",
        "assignedto": "owner",
        # German, French, Spanish.
        "vorname": "first_name",
        "nachname": "last_name",
        "familienname": "last_name",
        "emailadresse": "email",
        "telefon": "phone",
        "telefonnummer": "phone",
        "mobil": "phone_2",
        "handy": "phone_2",
        "mobiltelefon": "phone_2",
        "firma": "company",
        "unternehmen": "company",
        "position": "job_title",
        "berufsbezeichnung": "job_title",
        "notizen": "notes",
        "prenom": "first_name",
        "nom": "last_name",
        "nomdefamille": "last_name",
        "courriel": "email",
        "adresseemail": "email",
        "telephone": "phone",
        "portable": "phone_2",
        "entreprise": "company",
        "societe": "company",
        "fonction": "job_title",
        "poste": "job_title",
        "nombre": "first_name",
        "apellido": "last_name",
        "apellidos": "last_name",
        "correo": "email",
        "correoelectronico": "email",
        "telefono": "phone",
        "movil": "phone_2",
        "celular": "phone_2",
        "empresa": "company",
        "compania": "company",
        "cargo": "job_title",
        "puesto": "job_title",
        "notas": "notes",
        "propietario": "owner",
        "responsable": "owner",
        "besitzer": "owner",
        "verantwortlich": "owner",
        "kontaktinhaber": "owner",
        "proprietaire": "owner",
        # A Salesforce Contact's own Id and its Account's (Contact.csv, Lead.csv).
        "id": "source_id",
        "contactid": "source_id",
        "leadid": "source_id",
        "accountid": "account_id",
    },
    "companies": {
        "name": "name",
        "company": "name",
        "organizationname": "name",
        "accountname": "name",
        "firma": "name",
        "unternehmen": "name",
        "entreprise": "name",
        "societe": "name",
        "empresa": "name",
        "owner": "owner",
        "accountowner": "owner",
        "companyowner": "owner",
        "ownerid": "owner",
        "salesagent": "owner",
        "account": "name",
        "companyname": "name",
        "website": "website",
        "web": "website",
        "industry": "industry",
        "sector": "industry",
        "street": "street",
        "address": "street",
        "city": "city",
        "postalcode": "postal_code",
        "zip": "postal_code",
        "zipcode": "postal_code",
        "country": "country",
        "officelocation": "country",
        "notes": "notes",
        "tags": "tags",
        "id": "source_id",
        "accountid": "source_id",
    },
    "deals": {
        "title": "title",
        "name": "title",
        "deal": "title",
        "opportunityid": "title",
        "account": "company",
        "company": "company",
        "stage": "stage",
        "dealstage": "stage",
        "amount": "revenue",
        "value": "revenue",
        "revenue": "revenue",
        "closevalue": "revenue",
        "cost": "cost",
        # Maven's pipeline: a deal has an engage date once it reached "Engaging" (Interest).
        "engagedate": "reached_interest_on",
        "status": "status",
        "dealstatus": "status",
        "probability": "probability",
        "dealprobability": "probability",
        "createddate": "opened_on",
        "closeddate": "closed_on",
        "createdate": "opened_on",
        "closedate": "closed_on",
        "expectedclosedate": "expected_close_date",
        "contactemail": "contact_email",
        "email": "contact_email",
        "id": "source_id",
        "dealid": "source_id",
        "accountid": "account_id",
    },
}


def _key(header: str) -> str:
    """ "E-mail Address", "Prénom", "Teléfono" → emailaddress, prenom, telefono."""
    return re.sub(r"[^a-z0-9]", "", search_key(header))


def suggest_mapping(kind: str, headers: list[str], preset: str | None = None) -> dict[str, str]:
    """Header → field for every header we recognise; a named preset wins, then the preset whose
    names match the most headers, then plain aliases. Each field is taken once."""
    presets = (
        [preset]
        if preset
        else sorted(PRESETS, key=lambda p: -sum(h in PRESETS[p].get(kind, {}) for h in headers))
    )
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for name in presets:
        for header in headers:
            field = PRESETS.get(name, {}).get(kind, {}).get(header)
            if field and header not in mapping and field not in taken:
                mapping[header] = field
                taken.add(field)
        if mapping:
            break
    for header in headers:
        field = _ALIASES[kind].get(_key(header))
        if field and header not in mapping and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping


# Foreign stage names → our stages (or a closed outcome), suggested for the deals import.
STAGE_TARGETS = ("attention", "interest", "conviction", "desire", "action", "won", "lost")
_STAGE_WORDS = [
    ("won", "won"),
    ("closedwon", "won"),
    ("lost", "lost"),
    ("closedlost", "lost"),
    ("prospect", "attention"),
    ("lead", "attention"),
    ("new", "attention"),
    ("qualif", "interest"),
    ("engag", "interest"),
    ("contact", "interest"),
    ("discovery", "interest"),
    ("needs", "conviction"),
    ("analysis", "conviction"),
    ("demo", "conviction"),
    ("proposal", "desire"),
    ("quote", "desire"),
    ("negotiat", "desire"),
    ("review", "desire"),
    ("contract", "action"),
    ("commit", "action"),
    ("decision", "action"),
]


def suggest_stage(foreign: str) -> str:
    """Our stage for a foreign name from its words, or "" when the words do not tell: an
    unknown name is asked about, never silently put somewhere."""
    key = _key(foreign)
    if key in STAGE_TARGETS:
        return key
    for word, target in _STAGE_WORDS:
        if word in key:
            return target
    return ""
