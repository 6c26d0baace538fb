// history_app: TIM's history and lookup calls through libtimclient, as an
// app makes them.
//
//   history_app --socket S --consumer C --user U --sig-file F --peer P
//
// Logs in, sends P three texts ("h1".."h3"), then pages, finds, sets local
// data, searches, deletes and clears, passing the Message JSON the calls
// returned; then saves, imports (a message excluded from unread counts,
// asking for a receipt) and batch-sends (excluded from unread counts).
// Prints one line per result, "<call> <code> <json>", then "done".
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "TIMCloud.h"
#include "integration/client/app_args.h"
#include "integration/client/app_call.h"
#include "integration/client/app_login.h"

namespace {

using json = nlohmann::json;
using timd::test::Call;
using timd::test::Print;

std::string TextMessage(const std::string& text) {
  return json{{kTIMMsgElemArray, {{{kTIMElemType, kTIMElem_Text}, {kTIMTextElemContent, text}}}}}.dump();
}

void GetMsgList(const char* name, const std::string& peer, const json& param) {
  Call call;
  call.Finish(name, TIMMsgGetMsgList(peer.c_str(), kTIMConv_C2C, param.dump().c_str(), Call::Callback, &call));
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string peer = args["--peer"];
  if (args["--user"].empty() || parsed.sig.empty() || peer.empty()) {
    std::cerr << "usage: history_app --socket S --consumer C --user U --sig-file F --peer P\n";
    return 2;
  }
  if (!timd::test::InitAndLogin(parsed)) return 1;
  json sent[3];
  for (int i = 0; i < 3; ++i) {
    Call send;
    const std::string text = "h" + std::to_string(i + 1);
    send.Finish("send", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, TextMessage(text).c_str(), nullptr,
                                          Call::Callback, &send));
    sent[i] = json::parse(send.json, nullptr, false);
  }

  GetMsgList("forward", peer, {{kTIMMsgGetMsgListParamIsForward, true}, {kTIMMsgGetMsgListParamCount, 2}});
  GetMsgList("before-h3", peer, {{kTIMMsgGetMsgListParamLastMsg, sent[2]}, {kTIMMsgGetMsgListParamIsRamble, true}});
  GetMsgList("after-h1", peer, {{kTIMMsgGetMsgListParamLastMsg, sent[0]}, {kTIMMsgGetMsgListParamIsForward, true}});
  GetMsgList("forward-ramble", peer,
             {{kTIMMsgGetMsgListParamIsForward, true}, {kTIMMsgGetMsgListParamIsRamble, true},
              {kTIMMsgGetMsgListParamCount, 2}});

  Call find;
  const json ids = json::array({sent[0][kTIMMsgMsgId], "no-such-message"});
  find.Finish("find", TIMMsgFindMessages(ids.dump().c_str(), Call::Callback, &find));
  Call locate;
  const json locators =
      json::array({json{{kTIMMsgLocatorSeq, sent[1][kTIMMsgSeq]}, {kTIMMsgLocatorRand, sent[1][kTIMMsgRand]}}});
  locate.Finish("locate", TIMMsgFindByMsgLocatorList(peer.c_str(), kTIMConv_C2C, locators.dump().c_str(),
                                                     Call::Callback, &locate));
  Print("find-bad-json " + std::to_string(TIMMsgFindMessages("[", Call::Callback, nullptr)));

  json with_data = sent[0];
  with_data[kTIMMsgCustomInt] = 5;
  with_data[kTIMMsgCustomStr] = "kept";
  Call set_data;
  set_data.Finish("set-data", TIMMsgSetLocalCustomData(with_data.dump().c_str(), Call::Callback, &set_data));
  Call find_again;
  find_again.Finish("find-again", TIMMsgFindMessages(json::array({sent[0][kTIMMsgMsgId]}).dump().c_str(), Call::Callback,
                                                     &find_again));

  Call search_conv;
  const json in_conv = {{kTIMMsgSearchParamKeywordArray, {"H2"}}, {kTIMMsgSearchParamConvId, peer},
                        {kTIMMsgSearchParamConvType, kTIMConv_C2C}, {kTIMMsgSearchParamPageSize, 10}};
  search_conv.Finish("search-conv", TIMMsgSearchLocalMessages(in_conv.dump().c_str(), Call::Callback, &search_conv));
  Call search_all;
  const json everywhere = {{kTIMMsgSearchParamKeywordArray, {"h1", "h3"}},
                           {kTIMMsgSearchParamKeywordListMatchType, TIMKeywordListMatchType_Or}};
  search_all.Finish("search-all", TIMMsgSearchLocalMessages(everywhere.dump().c_str(), Call::Callback, &search_all));

  Call remove;
  const json delete_param = {{kTIMMsgDeleteParamMsg, sent[1]}, {kTIMMsgDeleteParamIsRamble, false}};
  remove.Finish("delete", TIMMsgDelete(peer.c_str(), kTIMConv_C2C, delete_param.dump().c_str(), Call::Callback,
                                       &remove));
  Call remove_unknown;
  const json unknown = json::array({json{{kTIMMsgMsgId, "no-such-message"}}});
  remove_unknown.Finish("list-delete-unknown", TIMMsgListDelete(peer.c_str(), kTIMConv_C2C, unknown.dump().c_str(),
                                                                Call::Callback, &remove_unknown));
  GetMsgList("after-delete", peer, json::object());
  Call clear;
  clear.Finish("clear", TIMMsgClearHistoryMessage(peer.c_str(), kTIMConv_C2C, Call::Callback, &clear));
  GetMsgList("after-clear", peer, json::object());

  Call save;
  save.Finish("save", TIMMsgSaveMsg(peer.c_str(), kTIMConv_C2C, TextMessage("saved").c_str(), Call::Callback, &save));
  json older = json::parse(TextMessage("imported"));
  older[kTIMMsgMsgId] = "imported-1";
  older[kTIMMsgIsFormSelf] = false;
  older[kTIMMsgServerTime] = 1000000000;
  older[kTIMMsgIsExcludedFromUnreadCount] = true;
  older[kTIMMsgNeedReadReceipt] = true;
  Call import;
  import.Finish("import", TIMMsgImportMsgList(peer.c_str(), kTIMConv_C2C, json::array({older}).dump().c_str(),
                                              Call::Callback, &import));
  GetMsgList("after-import", peer, json::object());
  Call batch;
  json batch_msg = json::parse(TextMessage("batch"));
  batch_msg[kTIMMsgIsExcludedFromUnreadCount] = true;
  const json batch_param = {{kTIMMsgBatchSendParamIdentifierArray, {peer, "not a user"}},
                            {kTIMMsgBatchSendParamMsg, batch_msg}};
  batch.Finish("batch", TIMMsgBatchSend(batch_param.dump().c_str(), Call::Callback, &batch));
  TIMUninit();
  Print("done");
  return 0;
}
