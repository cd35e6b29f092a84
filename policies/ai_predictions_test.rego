# Tests of ai_predictions.rego: wasmgate test prices nothing, so the call is undefined (in a
# run it answers from [[finops.compute]]); a policy's own tests mock get_cost_risk.
package ai_predictions

import rego.v1

test_an_image_nothing_prices_has_no_answer if {
	not get_cost_risk("ghcr.io/acme/api:1", "2Gi")
}

deny_expensive(image) if get_cost_risk(image, {"limits": {"memory": "2Gi"}}).score > 0.8

test_a_policy_mocks_the_answer if {
	deny_expensive("ghcr.io/acme/api:1") with get_cost_risk as {"score": 0.87, "predicted_monthly_cost": 1281.77}
	not deny_expensive("ghcr.io/acme/api:1") with get_cost_risk as {"score": 0.26, "predicted_monthly_cost": 373.33}
}
