// One daemon event -> the app's callbacks for it, with the TIM JSON payload
// (the app's own sent messages left out of RecvNewMsg: own_sends.h).
// Runs on the callback thread; reads the listeners at dispatch time and
// builds a payload only when someone listens. Strings handed to a callback
// live for the duration of that call.
#pragma once

#include "tim/v1/events.pb.h"

namespace timclient {

class Listeners;
class OwnSends;

void DispatchEvent(const tim::v1::Event& event, const Listeners& listeners, OwnSends& own_sends);

}  // namespace timclient
