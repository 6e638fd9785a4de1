"""Accounts over GraphQL: tokens with the claims Saleor clients read, both bearer headers, expiry that makes
clients refresh, registration, password reset through the mailed link, and the address book."""

import re
from datetime import timedelta

import jwt
import pytest

from marketplace.api import auth
from marketplace.core.timeutil import utcnow
from tests.factories import PASSWORD
from tests.mail import sent_mail

LOGIN = """mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) {
  token refreshToken user { id email firstName lastName } errors { field message code } } }"""
ME = "{ me { id email firstName addresses { id city cityArea isDefaultShippingAddress } } }"


def test_login_me_refresh_and_verify(gql, make_user):
    make_user(email="siti@uji.opop.id", name="Siti Aminah")
    result = gql(LOGIN, {"e": "Siti@Uji.opop.id", "p": PASSWORD})["data"]["tokenCreate"]
    assert result["errors"] == [] and result["user"]["firstName"] == "Siti"
    claims = jwt.decode(result["token"], options={"verify_signature": False})
    assert claims["owner"] == "saleor" and claims["type"] == "access" and claims["email"] == "siti@uji.opop.id"
    assert {"exp", "iat", "user_id"} <= claims.keys()

    for header in ("Authorization", "Authorization-Bearer"):
        assert gql(ME, token=result["token"], header=header)["data"]["me"]["email"] == "siti@uji.opop.id"
    assert gql(ME)["data"]["me"] is None

    refreshed = gql("mutation($r: String!) { tokenRefresh(refreshToken: $r) { token errors { code } } }",
                    {"r": result["refreshToken"]})["data"]["tokenRefresh"]
    assert refreshed["errors"] == [] and gql(ME, token=refreshed["token"])["data"]["me"]["email"]
    access_as_refresh = gql("mutation($r: String!) { tokenRefresh(refreshToken: $r) { token errors { code } } }",
                            {"r": result["token"]})["data"]["tokenRefresh"]
    assert access_as_refresh["token"] is None and access_as_refresh["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    verified = gql("mutation($t: String!) { tokenVerify(token: $t) { isValid payload errors { code } } }",
                   {"t": result["token"]})["data"]["tokenVerify"]
    assert verified["isValid"] and verified["payload"]["email"] == "siti@uji.opop.id"


def test_wrong_password_gets_no_token(gql, make_user):
    user = make_user()
    result = gql(LOGIN, {"e": user.email, "p": "salah-sekali"})["data"]["tokenCreate"]
    assert result["token"] is None and result["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_expired_token_says_expired_signature(app, gql, make_user):
    user = make_user()
    past = utcnow() - timedelta(hours=1)
    claims = {"iat": past, "exp": past + timedelta(minutes=5), "type": "access", "owner": "saleor",
              "email": user.email, "user_id": "VXNlcjox", "token": user.password_hash[-12:]}
    with app.app_context():
        expired = jwt.encode(claims, auth._key(), algorithm="HS256")
    body = gql(ME, token=expired, expect_errors=True)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "ExpiredSignatureError"
    guessed = jwt.encode({**claims, "exp": utcnow() + timedelta(hours=1)}, "a-guessed-key-long-enough-for-hs256",
                         algorithm="HS256")
    forged = gql(ME, token=guessed, expect_errors=True)
    assert forged["errors"][0]["extensions"]["exception"]["code"] == "DecodeError"


def test_register_then_duplicate_is_refused(gql, db):
    register = """mutation($i: AccountRegisterInput!) { accountRegister(input: $i) {
      requiresConfirmation errors { field code message } } }"""
    data = {"email": "baru@uji.opop.id", "password": "rahasia123", "firstName": "Ahmad", "lastName": "Fauzi",
            "redirectUrl": "http://127.0.0.1/", "channel": "default-channel"}
    assert gql(register, {"i": data})["data"]["accountRegister"]["errors"] == []
    assert gql(LOGIN, {"e": "baru@uji.opop.id", "p": "rahasia123"})["data"]["tokenCreate"]["token"]
    again = gql(register, {"i": data})["data"]["accountRegister"]["errors"]
    assert again[0]["code"] == "UNIQUE" and again[0]["field"] == "email"
    short = gql(register, {"i": {**data, "email": "lain@uji.opop.id", "password": "pendek"}})
    assert short["data"]["accountRegister"]["errors"][0]["code"] == "PASSWORD_TOO_SHORT"


def test_password_reset_by_mailed_token(app, gql, make_user):
    user = make_user(email="lupa@uji.opop.id")
    gql("""mutation { requestPasswordReset(email: "lupa@uji.opop.id", redirectUrl: "http://x/", channel:
        "default-channel") { errors { code } } }""")
    body = sent_mail(app)[-1].body
    token = re.search(r"/atur-sandi/([^\s]+)", body).group(1)
    done = gql("""mutation($t: String!) { setPassword(email: "lupa@uji.opop.id", token: $t, password: "sandiBaru99")
        { token errors { code } } }""", {"t": token})["data"]["setPassword"]
    assert done["errors"] == [] and done["token"]
    assert gql(LOGIN, {"e": user.email, "p": "sandiBaru99"})["data"]["tokenCreate"]["token"]
    reused = gql("""mutation($t: String!) { setPassword(email: "lupa@uji.opop.id", token: $t, password: "lagi12345")
        { token errors { code } } }""", {"t": token})["data"]["setPassword"]
    assert reused["token"] is None and reused["errors"][0]["code"] == "INVALID"


ADDRESS = {"firstName": "Siti", "lastName": "Aminah", "phone": "081234567890", "country": "ID",
           "countryArea": "Jawa Timur", "cityCode": "kab-jember", "cityArea": "Kaliwates",
           "streetAddress1": "Jl. Gajah Mada 10", "streetAddress2": "Kepatihan", "postalCode": "68131"}


@pytest.mark.parametrize("step", ["update", "delete"])
def test_address_book_is_private(gql, make_user, token_for, step):
    owner, other = token_for(make_user()), token_for(make_user())
    created = gql("""mutation($a: AddressInput!) { accountAddressCreate(input: $a) { address { id city }
        errors { code field } } }""", {"a": ADDRESS}, owner)["data"]["accountAddressCreate"]
    assert created["errors"] == [] and created["address"]["city"] == "Kabupaten Jember"
    address_id = created["address"]["id"]
    if step == "update":
        query = """mutation($id: ID!, $a: AddressInput!) { accountAddressUpdate(id: $id, input: $a) {
            address { cityArea } errors { code } } }"""
        variables = {"id": address_id, "a": {**ADDRESS, "cityArea": "Sumbersari"}}
    else:
        query = "mutation($id: ID!) { accountAddressDelete(id: $id) { address { id } errors { code } } }"
        variables = {"id": address_id}
    name = "accountAddressUpdate" if step == "update" else "accountAddressDelete"
    assert gql(query, variables, other)["data"][name]["errors"][0]["code"] == "NOT_FOUND"
    assert gql(ME, token=owner)["data"]["me"]["addresses"][0]["cityArea"] == "Kaliwates"
    assert gql(query, variables, owner)["data"][name]["errors"] == []
    addresses = gql(ME, token=owner)["data"]["me"]["addresses"]
    assert addresses == [] if step == "delete" else addresses[0]["cityArea"] == "Sumbersari"


def test_invalid_address_is_refused_with_the_field(gql, make_user, token_for):
    token = token_for(make_user())
    result = gql("""mutation($a: AddressInput!) { accountAddressCreate(input: $a) { address { id }
        errors { code field message } } }""", {"a": {**ADDRESS, "postalCode": "12"}}, token)
    error = result["data"]["accountAddressCreate"]["errors"][0]
    assert error["field"] == "postalCode" and "5 digit" in error["message"]
    assert gql(ME, token=token)["data"]["me"]["addresses"] == []
