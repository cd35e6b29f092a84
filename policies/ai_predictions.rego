# data.ai_predictions: the cost-risk engine FinOps policies ask for, answered by wasmgate from
# the run's [[finops.compute]] figures (docs/finops.md, "Cost risk").
package ai_predictions

import rego.v1

# get_cost_risk(image, resources) is {score, predicted_monthly_cost, drivers, explanation} for
# the artifact bound to image, run with the memory in resources ("2Gi", {"memory": …} or
# {"limits": {"memory": …}}). Undefined when nothing prices the image: wasmgate then warns
# cost-unknown, so the rule that asked does not go quiet without a trace.
get_cost_risk(image, resources) := risk if {
	risk := wasmgate.predict_cost_risk(image, resources)
	risk != null
}
