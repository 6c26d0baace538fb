// One daemon event -> the app's callbacks for it, with the TIM JSON payload.
// Runs on the callback thread; reads the listeners at dispatch time and
// builds a payload only when someone listens. Strings handed to a callback
// live for the duration of that call.
#pragma once

#include "tim/v1/events.pb.h"

namespace timclient {

class Listeners;

void DispatchEvent(const tim::v1::Event& event, const Listeners& listeners);

}  // namespace timclient
