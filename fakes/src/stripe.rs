//! A Stripe-compatible fake, in-process on a random port: the endpoints the product calls,
//! with Stripe's wire format (form-encoded requests with bracketed keys, bearer secret keys,
//! `Idempotency-Key`, Stripe's JSON objects and error bodies), and webhooks signed exactly as
//! Stripe signs them (`Stripe-Signature: t=…,v1=hex(HMAC-SHA256(secret, "{t}.{body}"))`).
//!
//! Tests move the fake's objects as Stripe's would move (a customer pays, a charge is
//! refunded) and deliver the events of their choice, in the order of their choice.

use axum::{
    Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
};
use uuid::Uuid;

pub const SECRET_KEY: &str = "sk_test_51FakeStripeSecretKeyForTheTestSuite";
pub const WEBHOOK_SECRET: &str = "whsec_fake_stripe_endpoint_secret_for_tests";

/// The fake Stripe: its address, and its objects for tests to move.
#[derive(Clone)]
pub struct FakeStripe {
    pub base_url: String,
    state: Arc<Mutex<Objects>>,
}

/// A request the product made, as the fake received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub form: BTreeMap<String, String>,
    pub idempotency_key: Option<String>,
}

#[derive(Default)]
struct Objects {
    sessions: HashMap<String, Value>,
    intents: HashMap<String, Value>,
    charges: HashMap<String, Value>,
    /// Refunds made through `POST /v1/refunds`, oldest first.
    refunds: Vec<Value>,
    /// Idempotency key → (the request's form, the response).
    idempotent: HashMap<String, (BTreeMap<String, String>, Value)>,
    requests: Vec<Recorded>,
}

impl Objects {
    /// The intent succeeds: the whole amount received through a new charge, and the pay link
    /// it belongs to, if any, complete. Returns the intent.
    fn settle(&mut self, mut intent: Value) -> Value {
        let charge_id = id("ch");
        intent["status"] = json!("succeeded");
        intent["amount_received"] = intent["amount"].clone();
        intent["latest_charge"] = json!(charge_id);
        intent["last_payment_error"] = Value::Null;
        self.charges
            .insert(charge_id.clone(), charge(&charge_id, &intent));
        let intent_id = intent["id"].as_str().expect("an id").to_owned();
        self.intents.insert(intent_id.clone(), intent.clone());
        if let Some(session) = self
            .sessions
            .values_mut()
            .find(|session| session["payment_intent"] == json!(intent_id))
        {
            session["status"] = json!("complete");
            session["payment_status"] = json!("paid");
            session["url"] = Value::Null;
        }
        intent
    }
}

/// A new PaymentIntent, waiting for a payment method.
fn new_intent(amount: &Value, currency: &Value, metadata: &Value) -> Value {
    json!({
        "id": id("pi"),
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "currency": currency,
        "created": now(),
        "latest_charge": null,
        "last_payment_error": null,
        "livemode": false,
        "metadata": metadata,
        "payment_method_types": ["card"],
        "status": "requires_payment_method",
    })
}

fn id(prefix: &str) -> String {
    format!("{prefix}_{}", Uuid::new_v4().simple())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Stripe's error body and status.
fn error(
    status: StatusCode,
    error_type: &str,
    code: &str,
    message: &str,
    param: Option<&str>,
) -> Response {
    (
        status,
        axum::Json(json!({
            "error": {
                "type": error_type,
                "code": code,
                "message": message,
                "param": param,
                "doc_url": format!("https://stripe.com/docs/error-codes/{code}"),
            }
        })),
    )
        .into_response()
}

fn missing(object: &str, id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "invalid_request_error",
        "resource_missing",
        &format!("No such {object}: '{id}'"),
        Some("id"),
    )
}

/// The bracketed metadata of a form: `metadata[key]`, or `{parent}[metadata][key]`.
fn metadata(form: &BTreeMap<String, String>, parent: Option<&str>) -> Value {
    let start = match parent {
        Some(parent) => format!("{parent}[metadata]["),
        None => "metadata[".to_owned(),
    };
    let map: serde_json::Map<String, Value> = form
        .iter()
        .filter_map(|(key, value)| {
            let name = key.strip_prefix(&start)?.strip_suffix(']')?;
            Some((name.to_owned(), Value::String(value.clone())))
        })
        .collect();
    Value::Object(map)
}

impl FakeStripe {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(Objects::default()));
        let router = Router::new()
            .route("/v1/checkout/sessions", post(create_session))
            .route("/v1/checkout/sessions/{id}", get(retrieve_session))
            .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
            .route("/v1/payment_intents/{id}", get(retrieve_intent))
            .route("/v1/refunds", post(create_refund))
            .route("/v1/payment_intents", get(list_intents))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the fake Stripe");
        let base_url = format!("http://{}", listener.local_addr().expect("its address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { base_url, state }
    }

    fn objects(&self) -> std::sync::MutexGuard<'_, Objects> {
        self.state.lock().expect("the fake's state")
    }

    /// Every request the product made to the fake, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.objects().requests.clone()
    }

    pub fn session(&self, id: &str) -> Value {
        public(&self.objects().sessions[id])
    }

    pub fn intent(&self, id: &str) -> Value {
        self.objects().intents[id].clone()
    }

    /// The customer pays the session: a succeeded PaymentIntent carrying the session's
    /// `payment_intent_data[metadata]`, its charge, and the session complete. Returns the
    /// session as Stripe would show it then.
    pub fn pay(&self, session_id: &str) -> Value {
        let mut objects = self.objects();
        let session = objects.sessions[session_id].clone();
        let intent = new_intent(
            &session["amount_total"],
            &session["currency"],
            &session["payment_intent_metadata"],
        );
        objects.sessions.get_mut(session_id).expect("the session")["payment_intent"] =
            intent["id"].clone();
        objects.settle(intent);
        public(&objects.sessions[session_id])
    }

    /// A payment attempt on the session fails (a declined card): its PaymentIntent exists,
    /// waiting for another payment method. Returns the intent.
    pub fn decline(&self, session_id: &str) -> Value {
        let mut objects = self.objects();
        let session = objects.sessions[session_id].clone();
        let mut intent = new_intent(
            &session["amount_total"],
            &session["currency"],
            &session["payment_intent_metadata"],
        );
        intent["last_payment_error"] = json!({
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
        });
        objects.sessions.get_mut(session_id).expect("the session")["payment_intent"] =
            intent["id"].clone();
        let id = intent["id"].as_str().expect("an id").to_owned();
        objects.intents.insert(id, intent.clone());
        intent
    }

    /// The declined intent is paid after all (the customer tried another card).
    pub fn succeed(&self, intent_id: &str) -> Value {
        let mut objects = self.objects();
        let intent = objects.intents[intent_id].clone();
        objects.settle(intent)
    }

    /// A PaymentIntent paid outside any pay link of ours, for `metadata[invoice_id]`.
    pub fn direct_payment(&self, invoice_id: Uuid, amount: i64, currency: &str) -> Value {
        let metadata = json!({ "invoice_id": invoice_id.to_string() });
        let intent = new_intent(&json!(amount), &json!(currency), &metadata);
        self.objects().settle(intent)
    }

    /// Refunds `amount` more of the intent's charge; returns the charge (its `amount_refunded`
    /// is the total so far, as Stripe reports it).
    pub fn refund(&self, intent_id: &str, amount: i64) -> Value {
        let mut objects = self.objects();
        let charge_id = objects.intents[intent_id]["latest_charge"]
            .as_str()
            .expect("a charge")
            .to_owned();
        let charge = objects.charges.get_mut(&charge_id).expect("the charge");
        let total = charge["amount_refunded"].as_i64().unwrap_or(0) + amount;
        assert!(
            total <= charge["amount"].as_i64().unwrap_or(0),
            "refund exceeds the charge"
        );
        charge["amount_refunded"] = json!(total);
        charge["refunded"] = json!(total == charge["amount"].as_i64().unwrap_or(0));
        charge.clone()
    }

    /// The intent's charge as Stripe shows it now (`amount_refunded`: refunded so far, by the
    /// product or by `refund`).
    pub fn charge(&self, intent_id: &str) -> Value {
        let objects = self.objects();
        let charge_id = objects.intents[intent_id]["latest_charge"]
            .as_str()
            .expect("a charge");
        objects.charges[charge_id].clone()
    }

    /// The refunds the product made (`POST /v1/refunds`), oldest first.
    pub fn refunds(&self) -> Vec<Value> {
        self.objects().refunds.clone()
    }

    /// An event envelope as Stripe sends it.
    pub fn event(&self, event_type: &str, object: &Value) -> Value {
        json!({
            "id": id("evt"),
            "object": "event",
            "api_version": "2024-06-20",
            "created": now(),
            "data": { "object": object },
            "livemode": false,
            "pending_webhooks": 1,
            "request": { "id": null, "idempotency_key": null },
            "type": event_type,
        })
    }
}

/// The succeeded charge of `intent`; like Stripe's, it carries the intent's metadata from
/// when it was created.
fn charge(charge_id: &str, intent: &Value) -> Value {
    json!({
        "id": charge_id,
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"],
        "amount_refunded": 0,
        "captured": true,
        "created": now(),
        "currency": intent["currency"],
        "livemode": false,
        "metadata": intent["metadata"],
        "paid": true,
        "payment_intent": intent["id"],
        "refunded": false,
        "status": "succeeded",
    })
}

/// A session as Stripe shows it (without the fake's bookkeeping field).
fn public(session: &Value) -> Value {
    let mut session = session.clone();
    if let Some(map) = session.as_object_mut() {
        map.remove("payment_intent_metadata");
    }
    session
}

/// The `Stripe-Signature` header for `body` signed at `timestamp` with `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Checks the secret key the way Stripe does: `Some` is Stripe's 401.
fn refuse_unauthorized(headers: &HeaderMap) -> Option<Response> {
    let given = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match given {
        Some(SECRET_KEY) => None,
        Some(other) => Some(error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "api_key_invalid",
            &format!(
                "Invalid API Key provided: {}***",
                &other[..other.len().min(8)]
            ),
            None,
        )),
        None => Some(error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "api_key_missing",
            "You did not provide an API key.",
            None,
        )),
    }
}

/// A request's form-encoded parameters, by name.
type Form = BTreeMap<String, String>;

/// A `POST` as Stripe takes it: authorized, its form-encoded body parsed (else Stripe's 400)
/// and recorded. Returns the form and the request's `Idempotency-Key`, if any.
fn accept_post(
    state: &Mutex<Objects>,
    headers: &HeaderMap,
    body: &[u8],
    path: &str,
) -> Result<(Form, Option<String>), Box<Response>> {
    if let Some(refused) = refuse_unauthorized(headers) {
        return Err(Box::new(refused));
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_invalid",
            "Invalid request body.",
            None,
        )));
    };
    let form: Form = pairs.into_iter().collect();
    record(state, "POST", path, form.clone(), headers);
    let key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    Ok((form, key))
}

fn record(
    state: &Mutex<Objects>,
    method: &str,
    path: &str,
    form: BTreeMap<String, String>,
    headers: &HeaderMap,
) {
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    state.lock().expect("state").requests.push(Recorded {
        method: method.to_owned(),
        path: path.to_owned(),
        form,
        idempotency_key,
    });
}

async fn create_session(
    State(state): State<Arc<Mutex<Objects>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, key) = match accept_post(&state, &headers, &body, "/v1/checkout/sessions") {
        Ok(accepted) => accepted,
        Err(refused) => return *refused,
    };
    if let Some(key) = &key
        && let Some((earlier, response)) = state.lock().expect("state").idempotent.get(key)
    {
        if earlier != &form {
            return error(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "idempotency_key_in_use",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                None,
            );
        }
        return axum::Json(response.clone()).into_response();
    }
    for required in [
        "mode",
        "success_url",
        "line_items[0][price_data][currency]",
        "line_items[0][price_data][unit_amount]",
        "line_items[0][quantity]",
    ] {
        if !form.contains_key(required) {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "parameter_missing",
                &format!("Missing required param: {required}."),
                Some(required),
            );
        }
    }
    let amount = form["line_items[0][price_data][unit_amount]"].parse::<i64>();
    let quantity = form["line_items[0][quantity]"].parse::<i64>();
    let (Ok(amount), Ok(quantity)) = (amount, quantity) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_invalid_integer",
            "Invalid integer: unit_amount or quantity.",
            Some("line_items[0][price_data][unit_amount]"),
        );
    };
    if amount < 1 || form["mode"] != "payment" {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_invalid",
            "unit_amount must be positive and mode must be payment.",
            Some("line_items[0][price_data][unit_amount]"),
        );
    }
    let session_id = format!("cs_test_{}", Uuid::new_v4().simple());
    let session = json!({
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": amount * quantity,
        "amount_total": amount * quantity,
        "cancel_url": form.get("cancel_url"),
        "client_reference_id": form.get("client_reference_id"),
        "created": now(),
        "currency": form["line_items[0][price_data][currency]"],
        "customer": null,
        "expires_at": now() + 24 * 3600,
        "livemode": false,
        "metadata": metadata(&form, None),
        "mode": "payment",
        "payment_intent": null,
        "payment_status": "unpaid",
        "status": "open",
        "success_url": form["success_url"],
        "url": format!("https://checkout.stripe.com/c/pay/{session_id}"),
        // The fake's own bookkeeping: what the PaymentIntent will carry.
        "payment_intent_metadata": metadata(&form, Some("payment_intent_data")),
    });
    let mut objects = state.lock().expect("state");
    objects.sessions.insert(session_id, session.clone());
    let response = public(&session);
    if let Some(key) = key {
        objects.idempotent.insert(key, (form, response.clone()));
    }
    axum::Json(response).into_response()
}

/// `POST /v1/refunds`: a refund of `amount` (default: what is left) on the intent's charge,
/// refused like Stripe refuses it (no such intent, nothing left to refund, more than is left).
async fn create_refund(
    State(state): State<Arc<Mutex<Objects>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, key) = match accept_post(&state, &headers, &body, "/v1/refunds") {
        Ok(accepted) => accepted,
        Err(refused) => return *refused,
    };
    let mut objects = state.lock().expect("state");
    if let Some(key) = &key
        && let Some((earlier, response)) = objects.idempotent.get(key)
    {
        if earlier != &form {
            return error(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "idempotency_key_in_use",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                None,
            );
        }
        return axum::Json(response.clone()).into_response();
    }
    let Some(intent_id) = form.get("payment_intent") else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_missing",
            "One of the following params should be provided for this request: payment_intent or charge.",
            Some("payment_intent"),
        );
    };
    let Some(charge_id) = objects
        .intents
        .get(intent_id)
        .and_then(|intent| intent["latest_charge"].as_str())
        .map(str::to_owned)
    else {
        return missing("payment_intent", intent_id);
    };
    let charge = objects.charges.get_mut(&charge_id).expect("the charge");
    let captured = charge["amount"].as_i64().unwrap_or(0);
    let refunded = charge["amount_refunded"].as_i64().unwrap_or(0);
    let amount = match form.get("amount").map(|amount| amount.parse::<i64>()) {
        None => captured - refunded,
        Some(Ok(amount)) if amount > 0 => amount,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "parameter_invalid_integer",
                "Invalid positive integer",
                Some("amount"),
            );
        }
    };
    if refunded >= captured {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "charge_already_refunded",
            &format!("Charge {charge_id} has already been refunded."),
            None,
        );
    }
    if amount > captured - refunded {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "amount_too_large",
            &format!(
                "Refund amount ({amount}) is greater than unrefunded amount on charge ({})",
                captured - refunded
            ),
            Some("amount"),
        );
    }
    charge["amount_refunded"] = json!(refunded + amount);
    charge["refunded"] = json!(refunded + amount == captured);
    let refund = json!({
        "id": id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": null,
        "charge": charge_id,
        "created": now(),
        "currency": charge["currency"],
        "metadata": metadata(&form, None),
        "payment_intent": intent_id,
        "reason": null,
        "status": "succeeded",
    });
    objects.refunds.push(refund.clone());
    if let Some(key) = key {
        objects.idempotent.insert(key, (form, refund.clone()));
    }
    axum::Json(refund).into_response()
}

async fn retrieve_session(
    State(state): State<Arc<Mutex<Objects>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(refused) = refuse_unauthorized(&headers) {
        return refused;
    }
    record(
        &state,
        "GET",
        &format!("/v1/checkout/sessions/{id}"),
        BTreeMap::new(),
        &headers,
    );
    match state.lock().expect("state").sessions.get(&id) {
        Some(session) => axum::Json(public(session)).into_response(),
        None => missing("checkout.session", &id),
    }
}

async fn expire_session(
    State(state): State<Arc<Mutex<Objects>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(refused) = refuse_unauthorized(&headers) {
        return refused;
    }
    record(
        &state,
        "POST",
        &format!("/v1/checkout/sessions/{id}/expire"),
        BTreeMap::new(),
        &headers,
    );
    let mut objects = state.lock().expect("state");
    let Some(session) = objects.sessions.get_mut(&id) else {
        return missing("checkout.session", &id);
    };
    if session["status"] != "open" {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "checkout_session_not_open",
            "Only Checkout Sessions with a status in [\"open\"] can be expired.",
            None,
        );
    }
    session["status"] = json!("expired");
    session["url"] = Value::Null;
    axum::Json(public(session)).into_response()
}

async fn retrieve_intent(
    State(state): State<Arc<Mutex<Objects>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(refused) = refuse_unauthorized(&headers) {
        return refused;
    }
    record(
        &state,
        "GET",
        &format!("/v1/payment_intents/{id}"),
        BTreeMap::new(),
        &headers,
    );
    match state.lock().expect("state").intents.get(&id) {
        Some(intent) => axum::Json(intent.clone()).into_response(),
        None => missing("payment_intent", &id),
    }
}

/// `GET /v1/payment_intents`: newest first, `created[gte|lt|lte]`, `limit`,
/// `starting_after`, as Stripe lists.
async fn list_intents(
    State(state): State<Arc<Mutex<Objects>>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if let Some(refused) = refuse_unauthorized(&headers) {
        return refused;
    }
    record(
        &state,
        "GET",
        "/v1/payment_intents",
        query.clone(),
        &headers,
    );
    let bound = |key: &str| query.get(key).and_then(|value| value.parse::<i64>().ok());
    let limit = bound("limit").unwrap_or(10).clamp(1, 100) as usize;
    let objects = state.lock().expect("state");
    let mut intents: Vec<&Value> = objects
        .intents
        .values()
        .filter(|intent| {
            let created = intent["created"].as_i64().unwrap_or(0);
            bound("created[gte]").is_none_or(|gte| created >= gte)
                && bound("created[lt]").is_none_or(|lt| created < lt)
                && bound("created[lte]").is_none_or(|lte| created <= lte)
        })
        .collect();
    intents.sort_by(|a, b| {
        (b["created"].as_i64(), b["id"].as_str()).cmp(&(a["created"].as_i64(), a["id"].as_str()))
    });
    let start = match query.get("starting_after") {
        Some(after) => match intents
            .iter()
            .position(|intent| intent["id"] == json!(after))
        {
            Some(position) => position + 1,
            None => return missing("payment_intent", after),
        },
        None => 0,
    };
    let page: Vec<Value> = intents
        .iter()
        .skip(start)
        .take(limit)
        .map(|intent| (*intent).clone())
        .collect();
    let has_more = intents.len() > start + page.len();
    axum::Json(json!({
        "object": "list",
        "data": page,
        "has_more": has_more,
        "url": "/v1/payment_intents",
    }))
    .into_response()
}
